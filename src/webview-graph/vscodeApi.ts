/** The graph page's one handle on VS Code, typed by its protocol. */
import { webviewHandle } from '../shared/webviewHandle';
import type { FromGraphPage, GraphPageState } from './protocol';

const handle = webviewHandle<FromGraphPage, GraphPageState>();
export const { post, saveState } = handle;

/** The subgraphs shown expanded before the page was last torn down (hidden, then shown). */
export function savedExpanded(): string[] {
  const state = handle.savedState() as { expanded?: unknown } | undefined;
  return Array.isArray(state?.expanded) ? state.expanded.filter((s): s is string => typeof s === 'string') : [];
}
