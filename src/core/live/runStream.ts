/**
 * One run's events, followed to the end over `GET …/runs/{id}/stream`, through dropped
 * connections. No vscode.
 *  - Reconnects with backoff and jitter when the connection drops, fails to open, or goes silent
 *    (`idleMs`); a new event resets the count; after `maxTries` failed tries in a row it ends
 *    with `gave-up`, so the caller can fall back to the tracker.
 *  - Resumes after the last event it saw and never yields an event twice. The Python server's ids
 *    (`<ms>-0`) are shared by the events of one millisecond, and it resumes after *all* events of
 *    the id it is sent, so the reader resumes from the id before the last one and drops what it
 *    already yielded of the last one (on the JS server's unique ids this costs one event sent again).
 *    The Python server also repeats events itself at the start of a connection (see EventCursor).
 *  - Never misses the end: a closed stream is not taken as the end until the run reads ended; a
 *    connection that failed after the run ended is opened once more for the rest (a finished
 *    resumable run replays from an id on both servers, then closes).
 *  - An `error` event is yielded as it came; its words are kept in `end.error` too.
 *  - A run not created with `stream_resumable` (`kwargs.resumable: false`) is followed from now on:
 *    the `earlier-events-unavailable` notice says so, and a reconnect may miss events (`events-missed`).
 */
import { ApiError, backoffDelay, isApiError, sleep as defaultSleep, type AgentServerClient, type BackoffOptions, type Run, type StreamEvent } from '../../api';
import { isActiveRun } from '../runOutcome';
import { errorText } from './errorText';

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
  /** The run as the caller just read it: saves the first read. */
  run?: Run;
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
    run = this.options.run?.run_id === this.runId ? this.options.run : undefined;
    while (!run) {
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
      const from = this.cursor.resume(this.resumable);
      try {
        const events = this.client.runs.follow(this.threadId, this.runId, {
          signal,
          lastEventId: from.lastEventId,
          idleMs: this.options.idleMs ?? 60_000,
          ...(this.options.streamMode ? { streamMode: this.options.streamMode } : {}),
        });
        for await (const event of events) {
          for (const fresh of this.cursor.accept(event)) {
            // Progress: the tries start again.
            failures = 0;
            if (fresh.event === 'error') lastError = errorText(fresh.data);
            yield fresh;
          }
        }
        for (const fresh of this.cursor.close(true)) yield fresh;
      } catch (error) {
        this.cursor.close(false);
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
 * Which events were already yielded, by id. Ids are compared as `<n>` or `<ms>-<seq>`; an event
 * with an id before the last one is a repeat.
 *
 * The last id may be shared by several events (Python's `<ms>-0`), so the events yielded under it
 * are kept in order (`group`):
 *  - A connection resumed from the id before the last sends the whole group again first: those
 *    are skipped by position.
 *  - The Python server also repeats events on its own: it subscribes to the run before it replays
 *    the stored events, so what was stored in between comes again after the replay, in order, under
 *    the same ids. A run of events that matches the group up to its end is that repeat: such events
 *    are held while they match and dropped when the match reaches the group's end; at the first
 *    mismatch they are yielded after all. So a token that equals an earlier one of the same
 *    millisecond waits for the next event. Events alike in name, data and millisecond that end the
 *    group are taken for a repeat; the server cannot tell them apart either (its resume skips both).
 */
export class EventCursor {
  private last: string | undefined;
  private previous: string | undefined;
  private group: string[] = [];
  /** Of this connection: the group's events still to skip, and events held as a possible repeat. */
  private skip: string[] = [];
  private held: { event: StreamEvent; key: string }[] = [];

  /** Starts a connection: where to resume from (the id before the last, so the rest of the last id's events come too). */
  resume(resumable: boolean): { lastEventId?: string } {
    this.held = [];
    // Not resumable: joined from now on (should the server send ids again, none twice).
    if (!resumable) {
      this.skip = [];
      return {};
    }
    this.skip = [...this.group];
    return { lastEventId: this.previous ?? '-1' };
  }

  /** The events to yield now for this one (none, it, or it after held ones). */
  accept(event: StreamEvent): StreamEvent[] {
    const { id } = event;
    if (id === undefined) return [...this.release(), event];
    if (id !== this.last && this.last !== undefined) {
      const order = compareIds(id, this.last);
      if (order !== undefined && order < 0) return [];
    }
    const key = keyOf(event);
    if (id !== this.last) {
      const out = this.release();
      this.previous = this.last;
      this.last = id;
      this.group = [key];
      this.skip = [];
      return [...out, event];
    }
    if (this.skip.length > 0) {
      if (this.skip[0] === key) {
        this.skip.shift();
        return [];
      }
      this.skip = [];
    }
    this.held.push({ event, key });
    const out: StreamEvent[] = [];
    while (this.held.length > 0 && !this.matchesTail(this.held.map((h) => h.key))) out.push(this.take()!);
    // Matched up to the group's end: the server's repeat.
    if (this.held.length > 0 && this.endsGroup(this.held.map((h) => h.key))) this.held = [];
    return out;
  }

  /** A connection closed cleanly: what was held was new after all. A dropped one forgets it (it comes again). */
  close(clean: boolean): StreamEvent[] {
    if (clean) return this.release();
    this.held = [];
    return [];
  }

  private release(): StreamEvent[] {
    const out: StreamEvent[] = [];
    while (this.held.length > 0) out.push(this.take()!);
    return out;
  }

  private take(): StreamEvent | undefined {
    const h = this.held.shift();
    if (h) this.group.push(h.key);
    return h?.event;
  }

  /** Whether `keys` is a run of the group that could reach its end. */
  private matchesTail(keys: string[]): boolean {
    for (let p = 0; p + keys.length <= this.group.length; p++) if (keys.every((k, i) => this.group[p + i] === k)) return true;
    return false;
  }

  private endsGroup(keys: string[]): boolean {
    const p = this.group.length - keys.length;
    return p >= 0 && keys.every((k, i) => this.group[p + i] === k);
  }
}

function keyOf(event: StreamEvent): string {
  return `${event.event}\n${typeof event.data === 'string' ? event.data : JSON.stringify(event.data)}`;
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

function causeWords(cause: unknown): string {
  if (cause instanceof ApiError) return cause.message;
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? 'the stream closed while the run was still going' : String(cause);
}
