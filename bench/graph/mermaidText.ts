/**
 * Mermaid flowchart text for a graph model, in the style of LangGraph's draw_mermaid (`graph TD;`,
 * linear curves, start and end as stadiums, `-.->` for conditional edges, its three classDefs),
 * with the same nodes, edges (labels too) and subgraphs (nested blocks) as the model: what the
 * graph bench has Mermaid render. Ids are `n<i>` / `s<i>` (Mermaid keywords and `:` cannot clash);
 * labels are quoted, with Mermaid's entity codes for `"`.
 */
import type { GraphModel, GraphNode } from '../../src/core/graph/graphModel';

const quote = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;

export function mermaidText(model: GraphModel): string {
  const nodeId = new Map(model.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ["%%{init: {'flowchart': {'curve': 'linear'}}}%%", 'graph TD;'];
  const declare = (n: GraphNode, indent: string) => {
    const id = nodeId.get(n.id)!;
    const label = quote(n.label);
    lines.push(`${indent}${n.kind === 'node' ? `${id}(${label})` : `${id}([${label}]):::${n.kind === 'start' ? 'first' : 'last'}`}`);
  };
  // Subgraphs drawn as boxes: those with nodes inside (a collapsed one is a node of its own).
  const boxes = model.subgraphs.filter((s) => !s.collapsed);
  const block = (parent: string | undefined, indent: string) => {
    for (const n of model.nodes) if (n.parent === parent) declare(n, indent);
    boxes.forEach((s, i) => {
      if (s.parent !== parent) return;
      lines.push(`${indent}subgraph s${i}[${quote(s.name)}]`);
      block(s.id, `${indent}\t`);
      lines.push(`${indent}end`);
    });
  };
  block(undefined, '\t');
  for (const e of model.edges) {
    const arrow = e.label ? (e.conditional ? ` -. ${quote(e.label)} .-> ` : ` -- ${quote(e.label)} --> `) : e.conditional ? ' -.-> ' : ' --> ';
    lines.push(`\t${nodeId.get(e.source)}${arrow}${nodeId.get(e.target)};`);
  }
  lines.push('\tclassDef default fill:#f2f0ff,line-height:1.2;', '\tclassDef first fill-opacity:0;', '\tclassDef last fill:#bfb6fc;');
  return `${lines.join('\n')}\n`;
}
