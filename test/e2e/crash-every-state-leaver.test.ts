import { crashEveryState } from './support/crash-every-state.ts';

// Issue #11: the local cloud SIGKILLed as each leaver state starts (the suite: support/crash-every-state.ts).
crashEveryState('leaver');
