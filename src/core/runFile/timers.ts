/** Waits that tests can make endless (Infinity): setTimeout would fire an Infinity at once. */

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer that calls `fire` after `ms`; none when `ms` is Infinity (or past what setTimeout takes). */
export function afterMs(ms: number, fire: () => void): NodeJS.Timeout | undefined {
  return Number.isFinite(ms) && ms <= MAX_TIMER_MS ? setTimeout(fire, ms) : undefined;
}
