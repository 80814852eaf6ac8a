import { isApiError } from './errors';
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

/** Assistant ids are UUIDs on both servers; anything else a run file or setting names is a graph id. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  /**
   * The assistant a run file or a setting names, as an assistant: an assistant id (a UUID) is read
   * as it is; anything else is a graph id and stands for that graph's default assistant (the one
   * the server made for it, `metadata.created_by: "system"`, else the newest). Undefined when the
   * deployment has neither. `get` and `schemas` want what this returns: the Python server takes
   * only a UUID there (422 for a graph id); the JS server takes both.
   */
  async resolve(idOrGraph: string, { signal }: CallOptions = {}): Promise<Assistant | undefined> {
    if (UUID.test(idOrGraph)) return this.get(idOrGraph, { signal }).catch(noneOn404);
    const ofGraph = (page: Page<Assistant>) => page.items.find((a) => a.graph_id === idOrGraph);
    // Python answers 404 "Graph 'nope' not found" to a search by an unknown graph; JS an empty list.
    const system = await this.search({ graphId: idOrGraph, metadata: { created_by: 'system' }, limit: 1 }, { signal }).catch(noneOn404);
    if (!system) return undefined;
    return ofGraph(system) ?? ofGraph(await this.search({ graphId: idOrGraph, limit: 1 }, { signal }));
  }

  /** By assistant id. The JS server also takes a graph id here, the Python one only a UUID: see `resolve`. */
  async get(assistantId: string, { signal }: CallOptions = {}): Promise<Assistant> {
    return this.http.json({ method: 'GET', path: `/assistants/${segment(assistantId)}`, signal }, assistantSchema);
  }

  /**
   * The graph's input, output, state and config JSON Schemas. The JS server analyses the graph's
   * types on the first call (8–9 s), so this call gets a longer deadline than the others. By
   * assistant id (a UUID on the Python server: see `resolve`).
   */
  async schemas(assistantId: string, { signal, timeoutMs = 60_000 }: CallOptions & { timeoutMs?: number } = {}): Promise<AssistantSchemas> {
    return this.http.json(
      { method: 'GET', path: `/assistants/${segment(assistantId)}/schemas`, signal, timeoutMs },
      assistantSchemasSchema,
    );
  }
}

function noneOn404(error: unknown): undefined {
  if (isApiError(error) && error.kind === 'http' && error.status === 404) return undefined;
  throw error;
}
