/** The graph page's one handle on VS Code, typed by its protocol. */
import type { FromGraphPage, GraphPageState } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page load.
const api = acquireVsCodeApi();

export function post(message: FromGraphPage): void {
  api.postMessage(message);
}

export function saveState(state: GraphPageState): void {
  api.setState(state);
}

/** The subgraphs shown expanded before the page was last torn down (hidden, then shown). */
export function savedExpanded(): string[] {
  const state = api.getState() as { expanded?: unknown } | undefined;
  return Array.isArray(state?.expanded) ? state.expanded.filter((s): s is string => typeof s === 'string') : [];
}
