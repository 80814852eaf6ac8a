import { clip } from '../shared/text';
import { ApiError } from './errors';
import type { Transport } from './http';
import { pageOf, toPage, upTo, type Page } from './page';
import { expectSameId, segment } from './paths';
import type { CallOptions, ThreadField, ThreadSearch } from './requests';
import {
  countSchema,
  stateUpdateSchema,
  threadSchema,
  threadStateSchema,
  type CheckpointConfig,
  type Thread,
  type ThreadState,
} from './schemas';
import type { ServerFamilyCache } from './serverFamily';

export interface ThreadCreate {
  metadata?: Record<string, unknown>;
  threadId?: string;
  ifExists?: 'raise' | 'do_nothing';
}

export type ThreadSummary<F extends ThreadField> = Pick<Thread, F | 'thread_id'>;

/** The answer to a search by ids, with only the threads asked for. */
export interface ThreadsByIds<F extends ThreadField> {
  /** The threads asked for that the server returned, each once, in the server's order. */
  threads: ThreadSummary<F>[];
  /** Items of the answer that were threads not asked for (a server that ignores `ids`): dropped. */
  others: number;
}

/** A state update: a new checkpoint with these values, written as if `asNode` had just run. */
export interface StateUpdate {
  /** Merged by the graph's reducers (a message with an existing id replaces it). */
  values: Record<string, unknown> | Record<string, unknown>[] | null;
  /** The node the update counts as written by; the server infers one when left out. */
  asNode?: string;
  /** Fork from this checkpoint (the new one's parent) instead of the thread's latest. */
  checkpointId?: string;
  /** A subgraph's namespace ("research:<task id>"); the root graph when left out. */
  checkpointNs?: string;
}

/** Thread search pages are capped by servers; ask for at most this many ids at once. */
const IDS_PER_SEARCH = 100;

export class ThreadsApi {
  constructor(
    private readonly http: Transport,
    private readonly family: ServerFamilyCache,
  ) {}

  async create(params: ThreadCreate = {}, { signal }: CallOptions = {}): Promise<Thread> {
    const body = { metadata: params.metadata, thread_id: params.threadId, if_exists: params.ifExists };
    return this.http.json({ method: 'POST', path: '/threads', body, signal }, threadSchema);
  }

  async get(threadId: string, { signal }: CallOptions = {}): Promise<Thread> {
    const request = { method: 'GET', path: `/threads/${segment(threadId)}` } as const;
    const thread = await this.http.json({ ...request, signal }, threadSchema);
    expectSameId(thread.thread_id, threadId, 'thread', request);
    return thread;
  }

  async delete(threadId: string, { signal }: CallOptions = {}): Promise<void> {
    await this.http.send({ method: 'DELETE', path: `/threads/${segment(threadId)}`, signal });
  }

  /** Threads with every field, values included: use `list` with `select` for lists. */
  async search(params: ThreadSearch = {}, options: CallOptions = {}): Promise<Page<Thread>> {
    return this.searchWith(params, undefined, options) as Promise<Page<Thread>>;
  }

  /**
   * Threads with only the fields asked for. Lists should never download values: on a busy
   * deployment they are most of the bytes and make every page slow.
   */
  async list<F extends ThreadField>(
    params: ThreadSearch & { select: readonly F[] },
    options: CallOptions = {},
  ): Promise<Page<ThreadSummary<F>>> {
    const select = [...new Set<ThreadField>(['thread_id', ...params.select])];
    return this.searchWith(params, select, options) as Promise<Page<ThreadSummary<F>>>;
  }

  /**
   * The threads with these ids, with only the fields asked for (several searches for many ids).
   * Servers that ignore `ids` exist and answer with other threads: those are dropped and counted,
   * never returned, so a caller cannot mistake another thread for the one it asked about.
   */
  async byIds<F extends ThreadField>(ids: readonly string[], select: readonly F[], options: CallOptions = {}): Promise<ThreadsByIds<F>> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, ThreadSummary<F>>();
    let others = 0;
    for (let i = 0; i < wanted.length; i += IDS_PER_SEARCH) {
      const chunk = wanted.slice(i, i + IDS_PER_SEARCH);
      const asked = new Set(chunk);
      const page = await this.list({ ids: chunk, limit: chunk.length, select }, options);
      for (const thread of page.items) {
        if (!asked.has(thread.thread_id)) others++;
        else if (!found.has(thread.thread_id)) found.set(thread.thread_id, thread);
      }
    }
    return { threads: [...found.values()], others };
  }

  /**
   * One thread by id, with the fields asked for; undefined when the server has no such thread.
   * When the server answered with other threads only, an ApiError (`invalid-response`) says so.
   */
  async byId<F extends ThreadField>(id: string, select: readonly F[], options: CallOptions = {}): Promise<ThreadSummary<F> | undefined> {
    const { threads, others } = await this.byIds([id], select, options);
    if (threads[0] || others === 0) return threads[0];
    throw new ApiError(`The server answered with other threads, not ${clip(id, 80)}: it ignores the ids searched for.`, {
      kind: 'invalid-response',
      method: 'POST',
      path: '/threads/search',
    });
  }

  async count(params: Pick<ThreadSearch, 'metadata' | 'values' | 'status'> = {}, { signal }: CallOptions = {}): Promise<number> {
    return this.http.json(
      { method: 'POST', path: '/threads/count', body: params, idempotent: true, signal },
      countSchema,
    );
  }

  async getState(threadId: string, { signal, subgraphs }: CallOptions & { subgraphs?: boolean } = {}): Promise<ThreadState> {
    const query = subgraphs ? { subgraphs: true } : undefined;
    const request = { method: 'GET', path: `/threads/${segment(threadId)}/state` } as const;
    const state = await this.http.json({ ...request, query, signal }, threadStateSchema);
    expectSameId(state.checkpoint?.thread_id, threadId, 'thread', request);
    return state;
  }

  /**
   * Checkpoints, newest first. Pages by `before` (a checkpoint id), not by offset. The servers
   * want it in different forms and refuse the other's: the JS server a string (400 "Expected
   * string" for an object), the Python server a checkpoint config `{"configurable":
   * {"checkpoint_id"}}` (422 "is not of type object" for a string; the form the SDKs' types name).
   * `GET …/history?before=` takes the string on both but has no metadata filter, so the form is
   * picked per server from `/info`, asked once, and only when `before` is given. `checkpointNs`
   * reads a subgraph's checkpoints instead of the root graph's.
   */
  async history(
    threadId: string,
    params: { limit?: number; before?: string; metadata?: Record<string, unknown>; checkpointNs?: string } = {},
    { signal }: CallOptions = {},
  ): Promise<ThreadState[]> {
    const limit = params.limit ?? 10;
    const before = params.before === undefined ? undefined : await this.beforeForm(params.before);
    // A subgraph's own checkpoints: both servers take its namespace in `checkpoint` (neither
    // takes `subgraphs` on history; the root's tasks name the namespaces, `tasks[].checkpoint`).
    const checkpoint = params.checkpointNs ? { checkpoint_ns: params.checkpointNs } : undefined;
    const states = await this.http.json(
      {
        method: 'POST',
        path: `/threads/${segment(threadId)}/history`,
        body: { limit, before, metadata: params.metadata, checkpoint },
        idempotent: true,
        signal,
      },
      pageOf(threadStateSchema, limit),
    );
    return upTo(states, limit);
  }

  /**
   * The thread's state at one checkpoint (`POST …/state/checkpoint`, which both servers take, with
   * a subgraph's namespace too; `GET …/state/{id}` has no namespace and the JS server wants a UUID
   * there). Both servers answer an unknown checkpoint 200 with empty values and no time or
   * metadata: that is read as 404 here, so nobody shows an empty state as the checkpoint's.
   */
  async getStateAt(
    threadId: string,
    checkpointId: string,
    { signal, checkpointNs, subgraphs }: CallOptions & { checkpointNs?: string; subgraphs?: boolean } = {},
  ): Promise<ThreadState> {
    if (!checkpointId) throw new TypeError('A checkpoint id is empty.');
    const request = { method: 'POST', path: `/threads/${segment(threadId)}/state/checkpoint` } as const;
    const body = { checkpoint: { checkpoint_id: checkpointId, checkpoint_ns: checkpointNs }, subgraphs };
    const state = await this.http.json({ ...request, body, idempotent: true, signal }, threadStateSchema);
    expectSameId(state.checkpoint?.thread_id, threadId, 'thread', request);
    const got = state.checkpoint?.checkpoint_id ?? undefined;
    if (got !== undefined && got !== checkpointId) {
      throw new ApiError(`${request.method} ${request.path} answered about checkpoint ${clip(got, 80)}, not the checkpoint asked for.`, {
        kind: 'invalid-response',
        ...request,
      });
    }
    if (!state.created_at && (!state.metadata || Object.keys(state.metadata).length === 0)) {
      throw new ApiError(`Checkpoint ${clip(checkpointId, 80)} not found in thread ${clip(threadId, 80)}.`, {
        kind: 'http',
        status: 404,
        ...request,
      });
    }
    return state;
  }

  /**
   * A new checkpoint on the thread (`POST …/state`); with `checkpointId`, a fork from that one.
   * Answers the new checkpoint. Both servers take the checkpoint as `checkpoint: {checkpoint_id}`
   * (and as a top-level `checkpoint_id`); both refuse a thread that never ran (400 "no graph ID")
   * and one with a run in flight (409). Not retried: a retry would make a second checkpoint.
   */
  async updateState(threadId: string, update: StateUpdate, { signal }: CallOptions = {}): Promise<CheckpointConfig> {
    const request = { method: 'POST', path: `/threads/${segment(threadId)}/state` } as const;
    const checkpoint =
      update.checkpointId !== undefined || update.checkpointNs !== undefined
        ? { checkpoint_id: update.checkpointId, checkpoint_ns: update.checkpointNs }
        : undefined;
    const body = { values: update.values, as_node: update.asNode, checkpoint };
    const answer = await this.http.json({ ...request, body, signal }, stateUpdateSchema);
    expectSameId(answer.checkpoint.thread_id, threadId, 'thread', request);
    return answer.checkpoint;
  }

  /**
   * A new thread with this one's metadata and every checkpoint (`POST …/copy`); the original is
   * left as it was. The answer has no values on either server: read the copy's state for them.
   * An unknown thread is 409 on both ("Thread not found" / "Conflict"). Not retried: a retry
   * would make a second copy.
   */
  async copy(threadId: string, { signal }: CallOptions = {}): Promise<Thread> {
    const request = { method: 'POST', path: `/threads/${segment(threadId)}/copy` } as const;
    const thread = await this.http.json({ ...request, signal }, threadSchema);
    if (thread.thread_id === threadId) {
      throw new ApiError(`${request.method} ${request.path} answered with the thread itself, not a copy.`, {
        kind: 'invalid-response',
        ...request,
      });
    }
    return thread;
  }

  private async beforeForm(checkpointId: string): Promise<string | { configurable: { checkpoint_id: string } }> {
    return (await this.family.get()) === 'js' ? checkpointId : { configurable: { checkpoint_id: checkpointId } };
  }

  private async searchWith(
    params: ThreadSearch,
    select: ThreadField[] | undefined,
    { signal }: CallOptions,
  ): Promise<Page<Partial<Thread>>> {
    const limit = params.limit ?? 10;
    const offset = params.offset ?? 0;
    const schema = select ? threadSchema.partial().required({ thread_id: true }) : threadSchema;
    const res = await this.http.json(
      {
        method: 'POST',
        path: '/threads/search',
        body: {
          metadata: params.metadata,
          values: params.values,
          status: params.status,
          ids: params.ids,
          limit,
          offset,
          sort_by: params.sortBy ?? 'updated_at',
          sort_order: params.sortOrder ?? 'desc',
          select,
        },
        idempotent: true,
        signal,
      },
      pageOf(schema, limit),
    );
    return toPage<Partial<Thread>>(res, offset, limit);
  }
}
