// Waiting in tests, one way: poll a probe until it answers. Node built-ins only (the extension
// tests and the bench import it too).

export interface WaitOptions {
  /** How long to keep trying (default 30 s). */
  timeoutMs?: number;
  /** Pause between two tries (default 100 ms). */
  everyMs?: number;
}

type Truthy<T> = Exclude<T, undefined | null | false | 0 | ''>;

/** What waitFor throws when time runs out. */
export class WaitTimeout extends Error {}

/**
 * Calls `probe` (now, then every `everyMs`) until it returns a truthy value, and returns that
 * value. Throws WaitTimeout `timed out after N ms waiting for <what>` when `timeoutMs` have passed
 * since the call; an error thrown by the probe is thrown as it is.
 */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, { timeoutMs = 30_000, everyMs = 100 }: WaitOptions = {}): Promise<Truthy<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > end) throw new WaitTimeout(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * waitFor for a value the test then asserts on: reads until `done(value)`, and returns the last
 * value read even when time runs out, so that the assertion after it says what was seen.
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, options?: WaitOptions): Promise<T> {
  let last!: T;
  try {
    await waitFor('', async () => done((last = await read())), options);
  } catch (err) {
    if (!(err instanceof WaitTimeout)) throw err;
  }
  return last;
}
