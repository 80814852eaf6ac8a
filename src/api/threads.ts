import { clip } from '../shared/text';
import { ApiError } from './errors';
import type { Transport } from './http';
import { pageOf, toPage, upTo, type Page } from './page';
import { expectSameId, segment } from './paths';
import type { CallOptions, ThreadField, ThreadSearch } from './requests';
import { countSchema, threadSchema, threadStateSchema, type Thread, type ThreadState } from './schemas';
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
   * picked per server from `/info`, asked once, and only when `before` is given.
   */
  async history(
    threadId: string,
    params: { limit?: number; before?: string; metadata?: Record<string, unknown> } = {},
    { signal }: CallOptions = {},
  ): Promise<ThreadState[]> {
    const limit = params.limit ?? 10;
    const before = params.before === undefined ? undefined : await this.beforeForm(params.before);
    const states = await this.http.json(
      {
        method: 'POST',
        path: `/threads/${segment(threadId)}/history`,
        body: { limit, before, metadata: params.metadata },
        idempotent: true,
        signal,
      },
      pageOf(threadStateSchema, limit),
    );
    return upTo(states, limit);
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
