/**
 * Which Agent Server implementation answers: the JS one (`@langchain/langgraph-api`, the JS dev
 * server) or the Python one (`langgraph-api`: `langgraph dev` in a Python project and LangGraph
 * Platform deployments). Only asked where no single request form works on both; read once from
 * `GET /info` (it skips auth on both) and kept for the client's life.
 */
import type { ServerInfo } from './schemas';

export type ServerFamily = 'js' | 'python';

/** JS: `/info` has `langgraph_js_version` (and `context: "js"`). Anything else reads as Python. */
export function familyOf(info: ServerInfo): ServerFamily {
  return info.langgraph_js_version !== undefined || info.context === 'js' ? 'js' : 'python';
}

const INFO_TIMEOUT_MS = 5_000;

/**
 * The family of one deployment, asked on first need. A failed `/info` is not kept (asked again
 * next time) and reads as Python, the server most deployments run.
 */
export class ServerFamilyCache {
  private known: ServerFamily | undefined;
  private asking: Promise<ServerFamily> | undefined;

  constructor(private readonly info: (timeoutMs: number) => Promise<ServerInfo>) {}

  get(): Promise<ServerFamily> {
    if (this.known) return Promise.resolve(this.known);
    this.asking ??= this.info(INFO_TIMEOUT_MS).then(
      (info) => (this.known = familyOf(info)),
      () => 'python' as const,
    ).finally(() => (this.asking = undefined));
    return this.asking;
  }
}
