/**
 * One run's events, followed to the end over `GET …/runs/{id}/stream`, through dropped
 * connections. No vscode.
 *  - Reconnects with backoff and jitter when the connection drops, fails to open, or goes silent
 *    (`idleMs`); a new event resets the count; after `maxTries` failed tries in a row it ends
 *    with `gave-up`, so the caller can fall back to the tracker.
 *  - Resumes after the last event it saw and never yields an event twice. The Python server's ids
 *    (`<ms>-0`) are shared by the events of one millisecond, and it resumes after *all* events of
 *    the id it is sent, so the reader resumes from the id before the last one and skips what it
 *    already yielded of the last one (on the JS server's unique ids this costs one event sent again).
 *  - Never misses the end: a closed stream is not taken as the end until the run reads ended; a
 *    connection that failed after the run ended is opened once more for the rest (a finished
 *    resumable run replays from an id on both servers, then closes).
 *  - An `error` event is yielded as it came; its words are kept in `end.error` too.
 *  - A run not created with `stream_resumable` (`kwargs.resumable: false`) is followed from now on:
 *    the `earlier-events-unavailable` notice says so, and a reconnect may miss events (`events-missed`).
 */
import { ApiError, backoffDelay, isApiError, sleep as defaultSleep, type AgentServerClient, type BackoffOptions, type Run, type StreamEvent } from '../api';
import { isActiveRun } from './runOutcome';

export type RunStreamClient = { runs: Pick<AgentServerClient['runs'], 'get' | 'follow'> };

export type RunStreamNotice =
  | { kind: 'earlier-events-unavailable' }
  | { kind: 'reconnecting'; attempt: number; delayMs: number; cause: string }
  | { kind: 'events-missed' };

export interface RunStreamEnd {
  /**
   * `ended`: the run ended and every event was read; `gave-up`: the stream could not be kept
   * (fall back to the tracker); `failed`: an error a retry cannot mend (run not found, too large,
   * refused); `aborted`: the caller's signal.
   */
  reason: 'ended' | 'gave-up' | 'failed' | 'aborted';
  /** The run's status as last read. */
  status?: string;
  /** Why it gave up or failed, in words. */
  message?: string;
  /** The words of the stream's last `error` event. */
  error?: string;
  /** Connections opened after the first. */
  reconnects: number;
}

export interface RunStreamOptions {
  signal?: AbortSignal;
  /** Failed tries in a row before giving up. Default 5. */
  maxTries?: number;
  /** Default 500 ms doubling to 8 s, with jitter. */
  backoff?: BackoffOptions;
  /** No byte this long counts as a dropped connection. Default 60 s. */
  idleMs?: number;
  streamMode?: string[];
  onNotice?: (notice: RunStreamNotice) => void;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 8_000 };

export class RunStream implements AsyncIterable<StreamEvent> {
  /** Set once the stream is over (after the iterator finishes). */
  end: RunStreamEnd | undefined;
  /** False when the run was not created with `stream_resumable`; undefined until read. */
  resumable: boolean | undefined;
  private readonly cursor = new EventCursor();
  private reconnects = 0;

  constructor(
    private readonly client: RunStreamClient,
    private readonly threadId: string,
    private readonly runId: string,
    private readonly options: RunStreamOptions = {},
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return this.events();
  }

  private async *events(): AsyncGenerator<StreamEvent> {
    const { signal } = this.options;
    const maxTries = this.options.maxTries ?? 5;
    let failures = 0;
    let run: Run | undefined;
    let lastError: string | undefined;
    // The run first: is it resumable, is it still going.
    for (;;) {
      try {
        run = await this.client.runs.get(this.threadId, this.runId, { signal });
        break;
      } catch (error) {
        const stop = this.stopFor(error, undefined, lastError);
        if (stop || ++failures > maxTries) return void (this.end = stop ?? this.gaveUp(error, undefined, lastError));
        await this.wait(failures, error);
      }
    }
    this.resumable = (run.kwargs as { resumable?: unknown } | null | undefined)?.resumable !== false;
    if (!this.resumable) this.options.onNotice?.({ kind: 'earlier-events-unavailable' });
    let status: string | undefined = run.status;
    if (!isActiveRun(status) && !this.resumable) return void (this.end = { reason: 'ended', status, reconnects: 0 });
    failures = 0;
    for (let connection = 0; ; connection++) {
      if (connection > 0) this.reconnects++;
      let dropped: unknown;
      const skip = this.cursor.resume(this.resumable);
      try {
        const events = this.client.runs.follow(this.threadId, this.runId, {
          signal,
          lastEventId: skip.lastEventId,
          idleMs: this.options.idleMs ?? 60_000,
          ...(this.options.streamMode ? { streamMode: this.options.streamMode } : {}),
        });
        for await (const event of events) {
          if (!this.cursor.fresh(event, skip)) continue;
          // Progress: the tries start again.
          failures = 0;
          if (event.event === 'error') lastError = errorWords(event.data);
          yield event;
        }
      } catch (error) {
        const stop = this.stopFor(error, status, lastError);
        if (stop) return void (this.end = stop);
        dropped = error;
      }
      // Closed or dropped: the run says whether that was the end.
      try {
        status = (await this.client.runs.get(this.threadId, this.runId, { signal })).status;
      } catch (error) {
        const stop = this.stopFor(error, status, lastError);
        if (stop) return void (this.end = stop);
        dropped ??= error;
      }
      const ended = !isActiveRun(status);
      if (ended && dropped === undefined) return void (this.end = { reason: 'ended', status, reconnects: this.reconnects, ...(lastError ? { error: lastError } : {}) });
      if (ended && !this.resumable) return void (this.end = { reason: 'ended', status, reconnects: this.reconnects, ...(lastError ? { error: lastError } : {}) });
      if (!this.resumable) this.options.onNotice?.({ kind: 'events-missed' });
      // A clean close of a running run counts as a failed try too: it must not loop for ever.
      if (++failures > maxTries) return void (this.end = this.gaveUp(dropped, status, lastError));
      await this.wait(failures, dropped);
    }
  }

  private async wait(failures: number, cause: unknown): Promise<void> {
    const delayMs = backoffDelay(failures - 1, this.options.backoff ?? DEFAULT_BACKOFF);
    this.options.onNotice?.({ kind: 'reconnecting', attempt: failures, delayMs, cause: causeWords(cause) });
    await (this.options.sleep ?? defaultSleep)(delayMs, this.options.signal).catch(() => undefined);
  }

  /** An end for errors a retry cannot mend, or undefined when trying again may help. */
  private stopFor(error: unknown, status: string | undefined, lastError: string | undefined): RunStreamEnd | undefined {
    const words = lastError ? { error: lastError } : {};
    if (this.options.signal?.aborted || (isApiError(error) && error.kind === 'aborted')) {
      return { reason: 'aborted', status, reconnects: this.reconnects, ...words };
    }
    if (isApiError(error) && error.transient) return undefined;
    return { reason: 'failed', status, message: causeWords(error), reconnects: this.reconnects, ...words };
  }

  private gaveUp(cause: unknown, status: string | undefined, lastError: string | undefined): RunStreamEnd {
    const why = cause === undefined ? 'the server kept closing the stream' : causeWords(cause);
    return {
      reason: 'gave-up',
      status,
      message: `Stopped following the run after ${this.options.maxTries ?? 5} failed reconnects: ${why}`,
      reconnects: this.reconnects,
      ...(lastError ? { error: lastError } : {}),
    };
  }
}

/**
 * Which events were already yielded, by id. Ids are compared as `<n>` or `<ms>-<seq>`; the last
 * id may be shared by several events (Python), so it counts how many of it were yielded.
 */
export class EventCursor {
  private last: string | undefined;
  private previous: string | undefined;
  private seenAtLast = 0;

  /** Where to resume, and how many events of the last id to skip. */
  resume(resumable: boolean): { lastEventId?: string; skipAtLast: number } {
    // Not resumable: joined from now on, but should the server send ids again, none twice.
    if (!resumable) return { skipAtLast: this.seenAtLast };
    if (this.last === undefined) return { lastEventId: '-1', skipAtLast: 0 };
    return { lastEventId: this.previous ?? '-1', skipAtLast: this.seenAtLast };
  }

  /** True when the event is new (and records it); false for one already yielded. */
  fresh(event: StreamEvent, skip: { skipAtLast: number }): boolean {
    const { id } = event;
    if (id === undefined) return true;
    if (this.last !== undefined) {
      const order = compareIds(id, this.last);
      if (order !== undefined && order < 0) return false;
      if (id === this.last && skip.skipAtLast > 0) {
        skip.skipAtLast--;
        return false;
      }
    }
    if (id === this.last) this.seenAtLast++;
    else {
      this.previous = this.last;
      this.last = id;
      this.seenAtLast = 1;
    }
    skip.skipAtLast = 0;
    return true;
  }
}

function compareIds(a: string, b: string): number | undefined {
  const pa = idParts(a);
  const pb = idParts(b);
  if (!pa || !pb) return undefined;
  return pa[0] - pb[0] || pa[1] - pb[1];
}

function idParts(id: string): [number, number] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(id);
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

/** An `error` event's words: `{error, message}` on both servers, or its text. */
export function errorWords(data: unknown): string {
  if (data && typeof data === 'object') {
    const { error, message } = data as { error?: unknown; message?: unknown };
    if (typeof message === 'string' && message) return typeof error === 'string' && error && error !== 'Error' ? `${error}: ${message}` : message;
    if (typeof error === 'string') return error;
    return JSON.stringify(data);
  }
  return String(data);
}

function causeWords(cause: unknown): string {
  if (cause instanceof ApiError) return cause.message;
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? 'the stream closed while the run was still going' : String(cause);
}
