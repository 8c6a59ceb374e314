export { createSfnEmulator, type SfnOptions } from './service.ts';
