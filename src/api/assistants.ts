import { isApiError } from './errors';
import type { Transport } from './http';
import { pageOf, toPage, type Page } from './page';
import type { CallOptions } from './requests';
import {
  assistantGraphSchema,
  assistantSchema,
  assistantSchemasSchema,
  type Assistant,
  type AssistantGraph,
  type AssistantSchemas,
} from './schemas';
import { segment } from './paths';

export interface GraphOptions extends CallOptions {
  /**
   * Subgraphs drawn in place of their node (`research:gather`): `true` all levels, a number that
   * many levels. Portable only as `true`: the JS server reads `true`/`1`/`yes` as on and any other
   * value (`2`) as off, with no depth; Python takes a depth ≥ 1 (0 or less is 422). `false`, `0`
   * and undefined send nothing. To show fewer levels on both, ask `true` and collapse
   * (`collapseToDepth`, src/core/graph/graphModel.ts).
   */
  xray?: boolean | number;
}

export interface AssistantSearch {
  graphId?: string;
  metadata?: Record<string, unknown>;
  limit?: number;
  offset?: number;
}

export interface AssistantList {
  items: Assistant[];
  /** More exist than were listed. */
  truncated: boolean;
}

/** What `all` reads per page, and lists at most by default (a deployment rarely has more than a few). */
const LIST_PAGE = 100;
export const MAX_LISTED = 500;

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
   * Every assistant, a page of 100 at a time, at most `max` (`truncated`: more exist). One that a
   * list shifting between pages returns twice is kept once.
   */
  async all({ max = MAX_LISTED, signal }: CallOptions & { max?: number } = {}): Promise<AssistantList> {
    const items: Assistant[] = [];
    const seen = new Set<string>();
    for (let offset = 0; offset < max; offset += LIST_PAGE) {
      const page = await this.search({ offset, limit: Math.min(LIST_PAGE, max - offset) }, { signal });
      for (const a of page.items) {
        if (seen.has(a.assistant_id)) continue;
        seen.add(a.assistant_id);
        items.push(a);
      }
      if (!page.hasMore) return { items, truncated: false };
    }
    return { items, truncated: true };
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
   * The assistant's graph as the server draws it: nodes and edges, capped like every answer
   * (`maxBodyBytes`). By assistant id (see `resolve`; a graph id also works on both servers, a
   * custom assistant's name on neither).
   */
  async graph(assistantId: string, { xray, signal }: GraphOptions = {}): Promise<AssistantGraph> {
    return this.http.json(
      { method: 'GET', path: `/assistants/${segment(assistantId)}/graph`, query: { xray: xrayQuery(xray) }, signal },
      assistantGraphSchema,
    );
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

function xrayQuery(xray: boolean | number | undefined): string | undefined {
  if (xray === true) return 'true';
  if (typeof xray === 'number' && Number.isInteger(xray) && xray > 0) return String(xray);
  return undefined;
}

function noneOn404(error: unknown): undefined {
  if (isApiError(error) && error.kind === 'http' && error.status === 404) return undefined;
  throw error;
}
