import { crashEveryState } from './support/crash-every-state.ts';

// Issue #11: the local cloud SIGKILLed as each mover state starts, crash points 1, 3, ... of the run (support/crash-every-state.ts).
crashEveryState('mover', { index: 0, of: 2 });
