/**
 * The time source every part of the server reads, so tests can pass a fake
 * one. Its own module so that nothing needs the options to name it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
