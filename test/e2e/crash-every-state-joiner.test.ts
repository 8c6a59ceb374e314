import { crashEveryState } from './support/crash-every-state.ts';

// Issue #11: the local cloud SIGKILLed as each joiner state starts (the suite: support/crash-every-state.ts).
crashEveryState('joiner');
