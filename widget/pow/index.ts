/**
 * The proof-of-work chunk (widget/lazy.ts): loaded only when a server asks
 * for work, so pages on servers that ask none never pay for it. It solves
 * (./solve.ts) and shows the work while it runs (./work.ts).
 */
export { solve, solveInWorker, solveOnPage } from './solve.js';
export { POW_STRINGS, type PowStrings } from './strings.js';
export { PowWork, type CreationWork, type PowPhase } from './work.js';
