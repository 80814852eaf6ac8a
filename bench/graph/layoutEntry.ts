/**
 * Bundled by bench/graph/page.ts into the graph bench's page (never into the extension): times the
 * page's own layout (src/webview-graph/layout.ts, dagre) alone, without measuring text or drawing,
 * so the bench can say how much of layout + drawing is layout. Sizes are estimated from the labels
 * (7 px a character, as the page's fallback does) instead of measured.
 */
import { layoutGraph } from '../../src/webview-graph/layout';
import type { GraphModel } from '../../src/webview-graph/protocol';

function layoutTimes(model: GraphModel, clusters: string[], rounds: number): number[] {
  const label = new Map(model.nodes.map((n) => [n.id, n.label]));
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    layoutGraph(model, clusters, (id) => ({ width: Math.max(64, label.get(id)!.length * 7 + 32), height: 34 }), (text) => ({ width: text.length * 7 + 8, height: 18 }));
    times.push(performance.now() - start);
  }
  return times;
}

(window as unknown as { __layoutTimes: typeof layoutTimes }).__layoutTimes = layoutTimes;
