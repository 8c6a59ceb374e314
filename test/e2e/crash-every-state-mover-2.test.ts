import { crashEveryState } from './support/crash-every-state.ts';

// Issue #11: the local cloud SIGKILLed as each mover state starts, crash points 2, 4, ... of the run (support/crash-every-state.ts).
crashEveryState('mover', { index: 1, of: 2 });
