import { ApiError } from './errors';
import type { Transport } from './http';
import { pageOf, toPage, type Page } from './page';
import { expectSameId, segment } from './paths';
import type { CallOptions, RunCreate } from './requests';
import { runErrorOf } from './runError';
import { runSchema, type Interrupt, type Run, type RunStatus } from './schemas';
import { parseSse, type StreamEvent } from './sse';
import * as z from 'zod';

/** What a join or wait returns when the run did not fail: the thread's last values. */
export interface RunResult {
  values: unknown;
  /** Set when the run stopped at `interrupt()`: the join answers `{"__interrupt__": […]}`. */
  interrupts?: Interrupt[];
}

export interface StreamOptions extends CallOptions {
  /** Replay from this event id (`-1`: from the start; needs `stream_resumable` on the run). */
  lastEventId?: string;
  streamMode?: string | string[];
  /** Idle watchdog, armed once the server has sent a heartbeat comment. Default 45 s. */
  heartbeatIdleMs?: number;
  /** Idle watchdog armed from the start: no byte this long fails the stream (kind `timeout`). */
  idleMs?: number;
}

export interface FollowOptions extends StreamOptions {
  /**
   * Modes to ask for. Left out, the run's own modes come (on the Python server 0.16 a
   * `stream_mode` query filters oddly: "a,b" gives nothing, repeated keys only some events).
   */
  streamMode?: string | string[];
}

/** `POST …/runs/wait` sends "\n" every second while it works: silence this long means trouble. */
const WAIT_IDLE_MS = 60_000;
const anyJson = z.unknown();

export class RunsApi {
  constructor(private readonly http: Transport) {}

  /** A background run: answers at once with the run, `pending`. */
  async create(threadId: string, body: RunCreate, { signal }: CallOptions = {}): Promise<Run> {
    return this.http.json({ method: 'POST', path: `${runsPath(threadId)}`, body, signal }, runSchema);
  }

  async get(threadId: string, runId: string, { signal }: CallOptions = {}): Promise<Run> {
    const request = { method: 'GET', path: runPath(threadId, runId) } as const;
    const run = await this.http.json({ ...request, signal }, runSchema);
    expectSameId(run.run_id, runId, 'run', request);
    expectSameId(run.thread_id, threadId, 'thread', request);
    return run;
  }

  async list(
    threadId: string,
    params: { limit?: number; offset?: number; status?: RunStatus } = {},
    { signal }: CallOptions = {},
  ): Promise<Page<Run>> {
    const limit = params.limit ?? 10;
    const offset = params.offset ?? 0;
    const res = await this.http.json(
      { method: 'GET', path: runsPath(threadId), query: { limit, offset, status: params.status }, signal },
      pageOf(runSchema, limit),
    );
    return toPage(res, offset, limit);
  }

  /**
   * Waits for the run to end: one long request, no bytes until the end, so no deadline and no
   * watchdog, only the caller's signal. The server answers 200 even for a failed or unknown run;
   * those become an ApiError of kind `run-failed`. Read the run afterwards for its real status.
   */
  async join(threadId: string, runId: string, { signal }: CallOptions = {}): Promise<RunResult> {
    const path = `${runPath(threadId, runId)}/join`;
    const res = await this.http.json({ method: 'GET', path, signal, timeoutMs: 'none' }, anyJson);
    return toRunResult(res, 'GET', path);
  }

  /** Creates a run and waits for its result in the same request. */
  async wait(
    threadId: string,
    body: RunCreate,
    { signal, idleTimeoutMs = WAIT_IDLE_MS }: CallOptions & { idleTimeoutMs?: number } = {},
  ): Promise<RunResult> {
    const path = `${runsPath(threadId)}/wait`;
    const res = await this.http.json(
      { method: 'POST', path, body, signal, timeoutMs: 'none', idleTimeoutMs },
      anyJson,
    );
    return toRunResult(res, 'POST', path);
  }

  /** Creates a run and streams its events. */
  stream(threadId: string, body: RunCreate, options: StreamOptions = {}): AsyncGenerator<StreamEvent> {
    return this.events({ method: 'POST', path: `${runsPath(threadId)}/stream`, body }, options);
  }

  /** Streams the events of a run that already exists. */
  joinStream(threadId: string, runId: string, options: StreamOptions = {}): AsyncGenerator<StreamEvent> {
    const query = { stream_mode: Array.isArray(options.streamMode) ? options.streamMode.join(',') : options.streamMode };
    return this.events({ method: 'GET', path: `${runPath(threadId, runId)}/stream`, query }, options);
  }

  /**
   * Reads a run's events from `GET …/runs/{id}/stream`, from after `lastEventId` (`-1`: from the
   * start; only a run created with `stream_resumable` keeps its events). One connection; the
   * caller resumes (src/core/live/runStream.ts does, with backoff).
   */
  follow(threadId: string, runId: string, options: FollowOptions = {}): AsyncGenerator<StreamEvent> {
    return this.joinStream(threadId, runId, options);
  }

  /**
   * Cancels a run. `action: 'interrupt'` stops it (a running run ends `error`, a pending one
   * `interrupted`); `rollback` also deletes it. The server waits for the cancel to land even when
   * asked not to, so this gets a longer deadline.
   */
  async cancel(
    threadId: string,
    runId: string,
    { signal, wait = false, action = 'interrupt' }: CallOptions & { wait?: boolean; action?: 'interrupt' | 'rollback' } = {},
  ): Promise<void> {
    await this.http.send({
      method: 'POST',
      path: `${runPath(threadId, runId)}/cancel`,
      query: { wait: wait ? 1 : 0, action },
      signal,
      timeoutMs: 60_000,
    });
  }

  async delete(threadId: string, runId: string, { signal }: CallOptions = {}): Promise<void> {
    await this.http.send({ method: 'DELETE', path: runPath(threadId, runId), signal });
  }

  private async *events(
    request: { method: 'GET' | 'POST'; path: string; body?: RunCreate; query?: Record<string, string | undefined> },
    options: StreamOptions,
  ): AsyncGenerator<StreamEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    const opened = await this.http.stream({
      ...request,
      headers,
      signal: options.signal,
      timeoutMs: 'none',
      // The idle watchdog from the first byte on, not only after a heartbeat.
      ...(options.idleMs !== undefined ? { idleTimeoutMs: options.idleMs } : {}),
      idempotent: request.method === 'GET',
    });
    const idleMs = options.idleMs ?? options.heartbeatIdleMs ?? 45_000;
    yield* parseSse(opened.chunks, {
      onComment: () => opened.watchIdle(idleMs),
      maxEvent: this.http.bodyLimit,
      request,
    });
  }
}

function toRunResult(data: unknown, method: string, path: string): RunResult {
  const failure = runErrorOf(data);
  if (failure) {
    // "Run not found" on both servers (Python's HTTPException class says nothing to a person).
    const typed = failure.errorType && failure.errorType !== 'Error' && failure.status === undefined;
    const message = typed ? `${failure.errorType}: ${failure.message}` : failure.message;
    throw new ApiError(message, { kind: 'run-failed', method, path, serverMessage: failure.message });
  }
  if (data && typeof data === 'object' && '__interrupt__' in data) {
    const raw = (data as { __interrupt__: unknown }).__interrupt__;
    return { values: data, interrupts: Array.isArray(raw) ? (raw as Interrupt[]) : [] };
  }
  return { values: data };
}

function runsPath(threadId: string): string {
  return `/threads/${segment(threadId)}/runs`;
}

function runPath(threadId: string, runId: string): string {
  return `${runsPath(threadId)}/${segment(runId)}`;
}
