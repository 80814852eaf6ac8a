/**
 * A deterministic 200-node graph in the shape `GET /assistants/{id}/graph?xray=true` gives (ids of
 * subgraph nodes prefixed with their path and `:`), for the graph bench: root segments and eight
 * subgraphs (two with a subgraph inside), mostly a chain with skips, forward conditional branches
 * (some labelled) and a few loops back, as agent graphs have. Same seed, same graph.
 */
import type { AssistantGraph } from '../../src/api';
import { END, START } from '../../src/core/graph/graphModel';

/** Where the nodes go, in order: a subgraph's path ('' for the root) and how many nodes. */
const PLAN: [string, number][] = [
  ['', 10], ['plan', 22], ['', 6], ['research', 7], ['research:fetch', 12], ['research', 7], ['', 6],
  ['write', 20], ['review', 6], ['review:checks', 12], ['review', 6], ['', 8], ['tools', 24], ['', 8],
  ['publish', 16], ['', 8], ['memory', 20],
];
const WORDS = ['call_model', 'route', 'search', 'summarize', 'tool', 'check', 'retry', 'merge', 'grade', 'format', 'store', 'ask_human'];

/** mulberry32: a small seeded generator, so every run lays out the same graph. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 200 nodes with START and END (the plan's 198 and those two). */
export function generatedGraph(seed = 13): AssistantGraph {
  const random = seeded(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const ids: string[] = [];
  PLAN.forEach(([path, count]) => {
    for (let i = 0; i < count; i++) {
      const name = `${WORDS[pick(WORDS.length)]}_${ids.length}`;
      ids.push(path ? `${path}:${name}` : name);
    }
  });
  const edges: AssistantGraph['edges'] = [{ source: START, target: ids[0]!, conditional: false }];
  const add = (source: string, target: string, conditional: boolean, label?: string) =>
    edges.push({ source, target, conditional, ...(label ? { data: label } : {}) });
  for (let i = 1; i < ids.length; i++) {
    // Mostly a chain; now and then the edge skips back over a node or two (a fan-in).
    const from = random() < 0.75 ? i - 1 : Math.max(0, i - 1 - pick(3));
    add(ids[from]!, ids[i]!, false);
    if (random() < 0.2 && i + 2 < ids.length) add(ids[i]!, ids[Math.min(ids.length - 1, i + 2 + pick(6))]!, true, random() < 0.3 ? `if ${WORDS[pick(WORDS.length)]}` : undefined);
    if (random() < 0.04 && i > 3) add(ids[i]!, ids[i - 2 - pick(Math.min(8, i - 2))]!, true, 'retry');
  }
  const hasOut = new Set(edges.map((e) => e.source));
  for (const id of ids) if (!hasOut.has(id)) add(id, END, false);
  const nodes = [START, ...ids, END].map((id) => ({ id, type: 'runnable', data: { id: ['langgraph', 'utils', 'RunnableCallable'], name: id } }));
  return { nodes, edges } as AssistantGraph;
}
