/**
 * Where a graph's source adds a node: `addNode("name", …)` (also `'name'`, a template literal with
 * no substitution, and `addNode({ name: fn })`) in JS/TS, `add_node("name", …)`,
 * `add_node(node="name", …)` and `add_node(fn)` (the function's name) in Python. Found on tokens
 * (sourceTokens.ts), never in comments or other strings. A graph's own calls are those in the
 * statement that defines its export (or on a builder that statement names); a subgraph's node
 * (`research:gather`) is looked up in the statement that defines the subgraph's variable in the same
 * file, else in the project's other files, and said to be ambiguous when several add it.
 * No vscode, no file system: the caller reads the files.
 */
import { tokenize, type SourceLanguage, type Token } from './sourceTokens';

export interface NodeCall {
  name: string;
  /** The name as written (a string, or the function's identifier): zero-based. */
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  /** The node's value when it is a plain identifier (a subgraph's variable, a function). */
  value?: string;
  /** Index of the call's `addNode`/`add_node` token. */
  index: number;
}

export interface NodeLocation {
  file: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export type NodeSourceResult =
  | { ok: true; location: NodeLocation; /** Other places that add a node of that name, when it is ambiguous. */ others: NodeLocation[] }
  | { ok: false; message: string };

export interface NodeSourceQuery {
  /** The graph's file (langgraph.json's path) and export (`graph` in `./src/agent.ts:graph`). */
  file: string;
  exportName: string;
  /** As the server names it; `:` joins subgraph levels (`research:gather`). */
  node: string;
  language: SourceLanguage;
  read(file: string): Promise<string | undefined>;
  /** The project's other source files of that language, for a subgraph defined elsewhere. */
  projectFiles(): Promise<string[]>;
  /** For messages: a file as the user knows it (relative to the project). */
  show?(file: string): string;
}

const CALL = { js: 'addNode', python: 'add_node' } as const;

/** Every node-adding call in the tokens, in order. */
export function nodeCalls(tokens: Token[], language: SourceLanguage): NodeCall[] {
  const calls: NodeCall[] = [];
  for (let i = 1; i + 2 < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || t.text !== CALL[language] || !isPunct(tokens[i - 1], '.', '?.') || !isPunct(tokens[i + 1], '(')) continue;
    const args = callArguments(tokens, i + 1);
    const found = language === 'js' ? jsNodes(tokens, args) : pythonNode(tokens, args);
    for (const f of found) calls.push({ ...span(f.at), name: f.name, ...(f.value ? { value: f.value } : {}), index: i });
  }
  return calls;
}

export async function findNodeSource(q: NodeSourceQuery): Promise<NodeSourceResult> {
  const show = q.show ?? ((f: string) => f);
  const text = await q.read(q.file);
  if (text === undefined) return { ok: false, message: `Could not read ${show(q.file)}.` };
  const path = q.node.split(':');
  let scope: { file: string; tokens: Token[]; variable: string } | undefined = { file: q.file, tokens: tokenize(text, q.language), variable: q.exportName };
  let found: { location: NodeLocation; others: NodeLocation[]; value?: string } | undefined;
  const searched: string[] = [];
  for (const [depth, name] of path.entries()) {
    found = undefined;
    if (scope) {
      const calls = callsOf(scope.tokens, q.language, scope.variable).filter((c) => c.name === name);
      searched.push(`${show(scope.file)} (${scope.variable})`);
      if (calls.length) found = pick(scope.file, calls);
    }
    if (!found && depth > 0) {
      // The subgraph is not defined in this file (imported): any file of the project that adds it.
      const files = (await q.projectFiles()).filter((f) => f !== scope?.file);
      searched.push(`${files.length} other file${files.length === 1 ? '' : 's'} of the project`);
      const all: { file: string; call: NodeCall }[] = [];
      for (const file of files) {
        const other = await q.read(file);
        if (other !== undefined) for (const call of nodeCalls(tokenize(other, q.language), q.language)) if (call.name === name) all.push({ file, call });
      }
      if (all.length) {
        const [first, ...rest] = all.map((a) => locationOf(a.file, a.call));
        found = { location: first!, others: rest, ...(all[0]!.call.value ? { value: all[0]!.call.value } : {}) };
        scope = { file: all[0]!.file, tokens: tokenize((await q.read(all[0]!.file)) ?? '', q.language), variable: '' };
      }
    }
    const call = CALL[q.language];
    if (!found) return { ok: false, message: `No ${call}("${name}") found for node "${q.node}": searched ${searched.join(', ')}.` };
    if (depth + 1 < path.length) {
      const file: string = found.location.file;
      const tokens: Token[] = file === scope?.file ? scope.tokens : tokenize((await q.read(file)) ?? '', q.language);
      scope = found.value && definition(tokens, found.value, q.language) ? { file, tokens, variable: found.value } : undefined;
    }
  }
  return { ok: true, location: found!.location, others: found!.others };
}

function pick(file: string, calls: NodeCall[]): { location: NodeLocation; others: NodeLocation[]; value?: string } {
  const [first, ...rest] = calls;
  return { location: locationOf(file, first!), others: rest.map((c) => locationOf(file, c)), ...(first!.value ? { value: first!.value } : {}) };
}

function locationOf(file: string, c: NodeCall): NodeLocation {
  return { file, line: c.line, character: c.character, endLine: c.endLine, endCharacter: c.endCharacter };
}

/**
 * The calls that build the graph a variable holds: those inside the statement that defines it,
 * else those on a builder that statement names (`builder.addNode(…)`; `graph = builder.compile()`),
 * else (no definition found, or no call there) every call of the file.
 */
export function callsOf(tokens: Token[], language: SourceLanguage, variable: string): NodeCall[] {
  const all = nodeCalls(tokens, language);
  const def = variable ? definition(tokens, variable, language) : undefined;
  if (!def) return all;
  const inside = all.filter((c) => c.index > def.start && c.index < def.end);
  if (inside.length) return inside;
  const named = new Set(tokens.slice(def.start + 1, def.end).filter((t) => t.kind === 'ident').map((t) => t.text));
  const onBuilder = all.filter((c) => named.has(chainRoot(tokens, c.index) ?? ''));
  return onBuilder.length ? onBuilder : all;
}

/** The statement `name = …` (JS: after const/let/var) at the top level of a scope: token range. */
function definition(tokens: Token[], name: string, language: SourceLanguage): { start: number; end: number } | undefined {
  for (let k = 0; k + 1 < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'ident' || t.text !== name || !isPunct(tokens[k + 1], '=')) continue;
    const before = tokens[k - 1];
    const starts =
      language === 'js'
        ? before?.kind === 'ident' && ['const', 'let', 'var'].includes(before.text)
        : !before || before.line < t.line || isPunct(before, ';');
    if (starts) return { start: k, end: statementEnd(tokens, k, language) };
  }
  return undefined;
}

/** The index after a statement's last token: a top-level `;`, or a line break where the code does not go on. */
function statementEnd(tokens: Token[], from: number, language: SourceLanguage): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'punct' && '([{'.includes(t.text)) depth++;
    else if (t.kind === 'punct' && ')]}'.includes(t.text)) depth--;
    if (depth > 0) continue;
    if (depth < 0 || isPunct(t, ';')) return k;
    const next = tokens[k + 1];
    if (!next) return k + 1;
    if (next.line > t.line) {
      const goesOn = language === 'js' && (isPunct(next, '.', '?.') || (t.kind === 'punct' && !')]}'.includes(t.text)));
      if (!goesOn) return k + 1;
    }
  }
  return tokens.length;
}

/** The identifier a call chain starts from: `builder` in `builder.addNode(…)`, `StateGraph` in `new StateGraph(S).addNode(…)`. */
function chainRoot(tokens: Token[], callIndex: number): string | undefined {
  let j = callIndex - 2;
  while (j >= 0) {
    const t = tokens[j]!;
    if (isPunct(t, ')', ']')) {
      j = matchingOpen(tokens, j) - 1;
      continue;
    }
    if (t.kind !== 'ident') return undefined;
    if (isPunct(tokens[j - 1], '.', '?.')) j -= 2;
    else return t.text;
  }
  return undefined;
}

function matchingOpen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let j = close; j >= 0; j--) {
    const t = tokens[j]!;
    if (isPunct(t, ')', ']', '}')) depth++;
    else if (isPunct(t, '(', '[', '{') && --depth === 0) return j;
  }
  return 0;
}

/** The top-level arguments of a call from its `(`: each a token range [start, end). */
function callArguments(tokens: Token[], open: number): [number, number][] {
  const args: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(', '[', '{')) depth++;
    else if (isPunct(t, ')', ']', '}')) {
      if (--depth === 0) {
        if (k > start) args.push([start, k]);
        return args;
      }
    } else if (depth === 1 && isPunct(t, ',')) {
      args.push([start, k]);
      start = k + 1;
    }
  }
  return args;
}

interface Found {
  name: string;
  at: Token;
  value?: string;
}

function jsNodes(tokens: Token[], args: [number, number][]): Found[] {
  const [first, second] = args;
  if (!first) return [];
  const head = tokens[first[0]]!;
  if (head.kind === 'string' && head.plain && first[1] === first[0] + 1) return [{ name: head.text, at: head, ...identValue(tokens, second) }];
  if (!isPunct(head, '{')) return [];
  // addNode({ a: fnA, "b": fnB, c }): each top-level key is a node.
  const found: Found[] = [];
  for (const [s, e] of callArguments(tokens, first[0])) {
    const key = tokens[s]!;
    if (key.kind !== 'ident' && !(key.kind === 'string' && key.plain)) continue;
    if (e === s + 1 && key.kind === 'ident') found.push({ name: key.text, at: key, value: key.text });
    else if (isPunct(tokens[s + 1], ':')) found.push({ name: key.text, at: key, ...identValue(tokens, [s + 2, e]) });
  }
  return found;
}

function pythonNode(tokens: Token[], args: [number, number][]): Found[] {
  const keyword = (name: string) => args.find(([s]) => tokens[s]?.text === name && isPunct(tokens[s + 1], '='));
  const nodeArg = keyword('node');
  const positional = args.filter(([s]) => !(tokens[s]?.kind === 'ident' && isPunct(tokens[s + 1], '=')));
  const first = nodeArg ? ([nodeArg[0] + 2, nodeArg[1]] as [number, number]) : positional[0];
  if (!first) return [];
  const head = tokens[first[0]]!;
  const actionArg = keyword('action');
  const action = actionArg ? ([actionArg[0] + 2, actionArg[1]] as [number, number]) : nodeArg ? positional[0] : positional[1];
  if (head.kind === 'string' && head.plain && first[1] === first[0] + 1) return [{ name: head.text, at: head, ...identValue(tokens, action) }];
  // add_node(fn) / add_node(module.fn): the node is named after the function.
  const dotted = tokens.slice(first[0], first[1]);
  const isDotted = dotted.every((t, k) => (k % 2 === 0 ? t.kind === 'ident' : isPunct(t, '.'))) && dotted.length % 2 === 1;
  if (!nodeArg && isDotted) {
    const last = dotted.at(-1)!;
    return [{ name: last.text, at: last, value: last.text }];
  }
  return [];
}

function identValue(tokens: Token[], range: [number, number] | undefined): { value?: string } {
  if (!range || range[1] !== range[0] + 1) return {};
  const t = tokens[range[0]]!;
  return t.kind === 'ident' ? { value: t.text } : {};
}

function span(t: Token): Omit<NodeLocation, 'file'> {
  const length = t.end - t.start;
  return { line: t.line, character: t.character, endLine: t.line, endCharacter: t.character + length };
}

function isPunct(t: Token | undefined, ...texts: string[]): boolean {
  return t?.kind === 'punct' && texts.includes(t.text);
}
