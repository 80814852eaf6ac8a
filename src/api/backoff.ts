/**
 * Exponential backoff with jitter, shared by the client's retries and the run tracker's polls.
 * Delay n (0-based) is uniform in [half, full] of min(cap, base·2ⁿ): spread out so that many
 * clients (or many runs) that failed together do not come back together.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Injected for tests; Math.random by default. */
  random?: () => number;
}

export function backoffDelay(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(full / 2 + (random() * full) / 2);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Seconds or an HTTP date from a Retry-After header, in ms; undefined when absent or bad. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
