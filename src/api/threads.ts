import type { Transport } from './http';
import { toPage, type Page } from './page';
import { segment } from './paths';
import type { CallOptions, ThreadField, ThreadSearch } from './requests';
import { countSchema, listOf, threadSchema, threadStateSchema, type Thread, type ThreadState } from './schemas';

export interface ThreadCreate {
  metadata?: Record<string, unknown>;
  threadId?: string;
  ifExists?: 'raise' | 'do_nothing';
}

export type ThreadSummary<F extends ThreadField> = Pick<Thread, F | 'thread_id'>;

export class ThreadsApi {
  constructor(private readonly http: Transport) {}

  async create(params: ThreadCreate = {}, { signal }: CallOptions = {}): Promise<Thread> {
    const body = { metadata: params.metadata, thread_id: params.threadId, if_exists: params.ifExists };
    return this.http.json({ method: 'POST', path: '/threads', body, signal }, threadSchema);
  }

  async get(threadId: string, { signal }: CallOptions = {}): Promise<Thread> {
    return this.http.json({ method: 'GET', path: `/threads/${segment(threadId)}`, signal }, threadSchema);
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

  async count(params: Pick<ThreadSearch, 'metadata' | 'values' | 'status'> = {}, { signal }: CallOptions = {}): Promise<number> {
    return this.http.json(
      { method: 'POST', path: '/threads/count', body: params, idempotent: true, signal },
      countSchema,
    );
  }

  async getState(threadId: string, { signal, subgraphs }: CallOptions & { subgraphs?: boolean } = {}): Promise<ThreadState> {
    const query = subgraphs ? { subgraphs: true } : undefined;
    return this.http.json({ method: 'GET', path: `/threads/${segment(threadId)}/state`, query, signal }, threadStateSchema);
  }

  /** Checkpoints, newest first. Pages by `before` (a checkpoint id), not by offset. */
  async history(
    threadId: string,
    params: { limit?: number; before?: string; metadata?: Record<string, unknown> } = {},
    { signal }: CallOptions = {},
  ): Promise<ThreadState[]> {
    return this.http.json(
      {
        method: 'POST',
        path: `/threads/${segment(threadId)}/history`,
        body: { limit: params.limit ?? 10, before: params.before, metadata: params.metadata },
        idempotent: true,
        signal,
      },
      listOf(threadStateSchema),
    );
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
      listOf(schema),
    );
    return toPage<Partial<Thread>>(res, offset, limit);
  }
}
