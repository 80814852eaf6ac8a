/**
 * A workspace's LangGraph project, read from its `langgraph.json`: its folder, its graphs, its
 * language, and the problems that keep its dev server from starting (each at its line). No vscode
 * import: the UI hands the text and a file check here.
 */
import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type ProjectLanguage = 'js' | 'python';

export interface ProjectGraph {
  readonly id: string;
  /** The graph's file, absolute. */
  readonly file: string;
  /** As `langgraph.json` spells it, e.g. `./src/agent.ts:graph`. */
  readonly spec: string;
}

/** Zero-based, like VS Code's positions. */
export interface ProjectProblem {
  readonly message: string;
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

export interface Project {
  /** The `langgraph.json` file, absolute. */
  readonly configFile: string;
  /** The folder holding it (the CLI's working directory). */
  readonly folder: string;
  readonly name: string;
  readonly language: ProjectLanguage;
  readonly graphs: readonly ProjectGraph[];
  /** Empty when the dev server can start. */
  readonly problems: readonly ProjectProblem[];
}

const JS_EXTENSIONS = /\.(ts|js|mts|mjs|cts|cjs|tsx|jsx)$/;

/** Reads one `langgraph.json`; `exists` tells whether a graph's file is there. */
export function parseProject(configFile: string, text: string, exists: (file: string) => boolean): Project {
  const folder = path.dirname(configFile);
  const name = path.basename(folder);
  const problems: ProjectProblem[] = [];
  const at = (offset: number, length: number, message: string) => problems.push({ message, ...range(text, offset, length) });
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors.slice(0, 5)) at(e.offset, e.length, `langgraph.json is not valid JSON: ${describeParseError(e)}.`);
  const graphs: ProjectGraph[] = [];
  let nodeVersion = false;
  if (root && !errors.length) {
    if (root.type !== 'object') at(root.offset, root.length, 'langgraph.json must hold an object with "graphs".');
    else {
      nodeVersion = findNodeAtLocation(root, ['node_version']) !== undefined;
      const graphsNode = findNodeAtLocation(root, ['graphs']);
      if (!graphsNode) at(root.offset, 1, 'langgraph.json has no "graphs": name at least one graph, e.g. "agent": "./src/agent.ts:graph".');
      else if (graphsNode.type !== 'object') at(graphsNode.offset, graphsNode.length, '"graphs" must be an object of graph id → "path:export".');
      else for (const entry of graphsNode.children ?? []) readGraph(entry);
    }
  } else if (!root && !errors.length) at(0, 0, 'langgraph.json is empty.');

  function readGraph(entry: Node): void {
    const [keyNode, valueNode] = entry.children ?? [];
    if (!keyNode || !valueNode) return;
    const id = String(keyNode.value);
    // A graph is "path:export" or an object with "path" (langgraph.json's long form).
    const specNode = valueNode.type === 'object' ? findNodeAtLocation(valueNode, ['path']) : valueNode;
    const spec: unknown = specNode ? getNodeValue(specNode) : undefined;
    const where = specNode ?? valueNode;
    if (typeof spec !== 'string' || !spec.trim()) {
      at(where.offset, where.length, `Graph "${id}" needs a path, e.g. "./src/${id}.ts:graph".`);
      return;
    }
    const file = path.resolve(folder, graphFilePart(spec));
    graphs.push({ id, file, spec });
    if (!exists(file)) at(where.offset, where.length, `Graph "${id}": ${path.relative(folder, file) || file} does not exist.`);
  }

  const jsGraphs = graphs.some((g) => JS_EXTENSIONS.test(g.file));
  return { configFile, folder, name, language: nodeVersion || jsGraphs ? 'js' : 'python', graphs, problems };
}

/** `./src/agent.py:graph` → `./src/agent.py` (a Windows drive letter's colon is not the separator). */
function graphFilePart(spec: string): string {
  const colon = spec.lastIndexOf(':');
  return colon > 1 ? spec.slice(0, colon) : spec;
}

function describeParseError(e: ParseError): string {
  const words = printParseErrorCode(e.error);
  return words.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function range(text: string, offset: number, length: number): Omit<ProjectProblem, 'message'> {
  const start = position(text, offset);
  const end = position(text, offset + Math.max(length, 0));
  return { line: start.line, character: start.character, endLine: end.line, endCharacter: end.character };
}

function position(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: stop - lineStart };
}
