import type { Transport } from './http';
import { pageOf, toPage, type Page } from './page';
import type { CallOptions } from './requests';
import { assistantSchema, assistantSchemasSchema, type Assistant, type AssistantSchemas } from './schemas';
import { segment } from './paths';

export interface AssistantSearch {
  graphId?: string;
  metadata?: Record<string, unknown>;
  limit?: number;
  offset?: number;
}

export class AssistantsApi {
  constructor(private readonly http: Transport) {}

  async search(params: AssistantSearch = {}, { signal }: CallOptions = {}): Promise<Page<Assistant>> {
    const limit = params.limit ?? 100;
    const offset = params.offset ?? 0;
    const res = await this.http.json(
      {
        method: 'POST',
        path: '/assistants/search',
        body: { graph_id: params.graphId, metadata: params.metadata, limit, offset },
        idempotent: true,
        signal,
      },
      pageOf(assistantSchema, limit),
    );
    return toPage(res, offset, limit);
  }

  /** An assistant id or a graph id (the server accepts both). */
  async get(assistantId: string, { signal }: CallOptions = {}): Promise<Assistant> {
    return this.http.json({ method: 'GET', path: `/assistants/${segment(assistantId)}`, signal }, assistantSchema);
  }

  /**
   * The graph's input, output, state and config JSON Schemas. The JS server analyses the graph's
   * types on the first call (8–9 s), so this call gets a longer deadline than the others.
   */
  async schemas(assistantId: string, { signal, timeoutMs = 60_000 }: CallOptions & { timeoutMs?: number } = {}): Promise<AssistantSchemas> {
    return this.http.json(
      { method: 'GET', path: `/assistants/${segment(assistantId)}/schemas`, signal, timeoutMs },
      assistantSchemasSchema,
    );
  }
}
