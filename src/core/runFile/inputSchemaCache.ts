/**
 * Input checkers per deployment and assistant, kept for a few minutes. The JS server analyses a
 * graph's types on the first `/schemas` call (8–9 s), so the first run of a session usually goes
 * unchecked while the schema loads in the background, and the runs after it are checked at once.
 */
import { inputChecker, type InputChecker, type SchemaCheckRunner } from './inputSchema';
import { afterMs } from './timers';

const TTL_MS = 5 * 60_000;

/** The schema could not be read: why, in words. */
export interface SchemaUnavailable {
  unavailable: string;
}

export class InputSchemaCache {
  private readonly entries = new Map<string, { at: number; checker: Promise<InputChecker | null | SchemaUnavailable> }>();

  /** `runner` runs the checks (a SchemaCheckWorker in the extension). */
  constructor(
    private readonly runner: SchemaCheckRunner,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The checker for `key` (deployment and assistant), fetching the schema when not cached; null
   * when the schema says nothing worth checking. Never rejects: a failed fetch gives why (the run
   * goes unchecked) and is forgotten, so the next run asks again.
   */
  checker(key: string, fetchSchema: () => Promise<unknown>): Promise<InputChecker | null | SchemaUnavailable> {
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.at < TTL_MS) return cached.checker;
    this.runner.warm?.(); // the worker starts while the schema loads
    const checker = fetchSchema().then(
      (schema) => inputChecker(schema, this.runner) ?? null,
      (error: unknown) => {
        this.entries.delete(key);
        return { unavailable: error instanceof Error ? error.message : String(error) };
      },
    );
    this.entries.set(key, { at: this.now(), checker });
    return checker;
  }

  /** Drops every assistant's schema of a deployment (its dev server reloaded new code). */
  forget(deploymentId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${deploymentId}|`)) this.entries.delete(key);
  }
}

/**
 * The value of `promise` if it settles within `ms` (and before `signal` fires), else undefined.
 * `ms` = Infinity waits for as long as the promise takes.
 */
export function within<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve) => {
    const done = (value: T | undefined) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => done(undefined);
    const timer = afterMs(ms, () => done(undefined));
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(done, () => done(undefined));
  });
}
