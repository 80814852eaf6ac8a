/**
 * Breakpoints: "pause before" / "pause after" a node, kept per deployment and assistant, and how
 * a run gets them (`interrupt_before` / `interrupt_after` at run creation). A pure model: every
 * change returns a new `Breakpoints`; `serialize` / `deserialize` are for workspace state.
 * No vscode, no DOM, no node: the graph's webview may bundle this file.
 *
 * What the servers take (seen on both, JS 2.0 and Python 0.16; see CONTRIBUTING "Graphs and
 * breakpoints"): the names of the root graph's nodes. A node inside a subgraph cannot take one at
 * run creation on either: `gather`, `research:gather` and `research|gather` are all accepted and
 * ignored (no error, the run does not stop), and `"*"` stops only before the root's nodes.
 * `breakpointSupport` says so for such a node, and `applyBreakpoints` never sends one.
 */
import { isRecord } from '../../shared/isRecord';
import { END, nodeNameOf, PATH_SEPARATOR, START } from './graphModel';

export type BreakpointWhen = 'before' | 'after';

export interface Breakpoint {
  /** The node's id in the graph model (a root node's name; `research:gather` in a subgraph). */
  node: string;
  when: BreakpointWhen;
}

export interface BreakpointScope {
  /** The deployment's canonical URL. */
  deployment: string;
  /** The assistant's id, as the graph was read for. */
  assistant: string;
}

export type BreakpointSupport =
  | { ok: true }
  | { ok: false; reason: 'subgraph' | 'start-end' | 'invalid'; message: string };

/** What workspace state keeps (plain JSON). */
export interface SerializedBreakpoints {
  version: 1;
  scopes: { deployment: string; assistant: string; breakpoints: Breakpoint[] }[];
}

/** Bounds on what deserialize keeps of a state someone else may have written. */
export const MAX_BREAKPOINTS_PER_SCOPE = 500;
export const MAX_SCOPES = 500;
export const MAX_NODE_NAME = 500;

/** Whether the servers can pause at this node at run creation, and if not, the words why. */
export function breakpointSupport(node: string): BreakpointSupport {
  if (!node || node.length > MAX_NODE_NAME || node.includes('|')) {
    return { ok: false, reason: 'invalid', message: 'Not a node name the server knows.' };
  }
  const name = nodeNameOf(node);
  if (name === START || name === END) {
    return { ok: false, reason: 'start-end', message: 'The start and end of a graph are not nodes a run can pause at.' };
  }
  if (node.includes(PATH_SEPARATOR)) {
    return {
      ok: false,
      reason: 'subgraph',
      message:
        'A node inside a subgraph cannot take a breakpoint: the server pauses only at the nodes of the top graph (a subgraph node\'s name is accepted and ignored). Pause before or after the subgraph\'s own node instead.',
    };
  }
  return { ok: true };
}

const scopeKey = (scope: BreakpointScope) => JSON.stringify([scope.deployment, scope.assistant]);
const same = (a: Breakpoint, b: Breakpoint) => a.node === b.node && a.when === b.when;
/** By node, "before" ahead of "after". */
const order = (a: Breakpoint, b: Breakpoint) => (a.node < b.node ? -1 : a.node > b.node ? 1 : a.when === b.when ? 0 : a.when === 'before' ? -1 : 1);

export class Breakpoints {
  private constructor(private readonly byScope: ReadonlyMap<string, { scope: BreakpointScope; list: readonly Breakpoint[] }>) {}

  static empty(): Breakpoints {
    return new Breakpoints(new Map());
  }

  /**
   * From workspace state, tolerant: anything that is not a breakpoint of a supported node is
   * dropped, duplicates once, at most MAX_SCOPES scopes of MAX_BREAKPOINTS_PER_SCOPE each.
   */
  static deserialize(value: unknown): Breakpoints {
    let result = Breakpoints.empty();
    const scopes = isRecord(value) && Array.isArray(value.scopes) ? value.scopes : [];
    for (const raw of scopes.slice(0, MAX_SCOPES)) {
      if (!isRecord(raw) || typeof raw.deployment !== 'string' || typeof raw.assistant !== 'string' || !Array.isArray(raw.breakpoints)) continue;
      const scope = { deployment: raw.deployment, assistant: raw.assistant };
      const kept = raw.breakpoints.filter(isBreakpoint).slice(0, MAX_BREAKPOINTS_PER_SCOPE);
      for (const bp of kept) result = result.set(scope, { node: bp.node, when: bp.when }, true);
    }
    return result;
  }

  serialize(): SerializedBreakpoints {
    return {
      version: 1,
      scopes: [...this.byScope.values()].map(({ scope, list }) => ({ ...scope, breakpoints: list.map((b) => ({ node: b.node, when: b.when })) })),
    };
  }

  /** The breakpoints of one assistant, by node, "before" first. */
  list(scope: BreakpointScope): Breakpoint[] {
    return [...(this.byScope.get(scopeKey(scope))?.list ?? [])];
  }

  /** The scopes that have any. */
  scopes(): BreakpointScope[] {
    return [...this.byScope.values()].map((s) => ({ ...s.scope }));
  }

  has(scope: BreakpointScope, bp: Breakpoint): boolean {
    return this.list(scope).some((b) => same(b, bp));
  }

  /** Where a node pauses: before, after, both or neither. */
  at(scope: BreakpointScope, node: string): BreakpointWhen[] {
    return this.list(scope)
      .filter((b) => b.node === node)
      .map((b) => b.when);
  }

  /** On or off. A node the servers cannot pause at (see breakpointSupport) is never set. */
  set(scope: BreakpointScope, bp: Breakpoint, on: boolean): Breakpoints {
    if (on && (!breakpointSupport(bp.node).ok || (bp.when !== 'before' && bp.when !== 'after'))) return this;
    const list = this.list(scope);
    const had = list.some((b) => same(b, bp));
    if (had === on) return this;
    if (on && list.length >= MAX_BREAKPOINTS_PER_SCOPE) return this;
    const next = on ? [...list, { node: bp.node, when: bp.when }].sort(order) : list.filter((b) => !same(b, bp));
    return this.withList(scope, next);
  }

  toggle(scope: BreakpointScope, bp: Breakpoint): Breakpoints {
    return this.set(scope, bp, !this.has(scope, bp));
  }

  /** One node's, or all of one assistant's. */
  clear(scope: BreakpointScope, node?: string): Breakpoints {
    return this.withList(scope, node === undefined ? [] : this.list(scope).filter((b) => b.node !== node));
  }

  private withList(scope: BreakpointScope, list: Breakpoint[]): Breakpoints {
    const map = new Map(this.byScope);
    if (list.length) map.set(scopeKey(scope), { scope: { deployment: scope.deployment, assistant: scope.assistant }, list });
    else map.delete(scopeKey(scope));
    return new Breakpoints(map);
  }
}

export interface SkippedBreakpoint {
  breakpoint: Breakpoint;
  /** `file`: the run file sets that key itself; otherwise what breakpointSupport says. */
  reason: 'file' | 'subgraph' | 'start-end' | 'invalid';
}

type InterruptKey = 'interrupt_before' | 'interrupt_after';
/** The body's own interrupt keys as they were; the others, if added, node names. */
export type WithBreakpoints<T> = T & { [K in InterruptKey as K extends keyof T ? never : K]?: string[] };

export interface AppliedBreakpoints<T> {
  /** The run body with `interrupt_before` / `interrupt_after` added where it had none. */
  body: WithBreakpoints<T>;
  /** The breakpoints the run got (for the run's notification), by node, "before" first. */
  applied: Breakpoint[];
  skipped: SkippedBreakpoint[];
}

const KEY: Record<BreakpointWhen, InterruptKey> = { before: 'interrupt_before', after: 'interrupt_after' };

/**
 * A run body with the breakpoints as `interrupt_before` / `interrupt_after`. A key the run file
 * sets itself wins, whatever its value (`[]` and `"*"` too): its side's breakpoints are skipped.
 * The body is not changed; a side with none to apply gets no key.
 */
export function applyBreakpoints<T extends Record<string, unknown>>(runBody: T, breakpoints: readonly Breakpoint[]): AppliedBreakpoints<T> {
  const applied: Breakpoint[] = [];
  const skipped: SkippedBreakpoint[] = [];
  const names: Record<BreakpointWhen, string[]> = { before: [], after: [] };
  for (const bp of [...breakpoints].sort(order)) {
    if (applied.some((b) => same(b, bp)) || skipped.some((s) => same(s.breakpoint, bp))) continue;
    const support = breakpointSupport(bp.node);
    if (!support.ok) skipped.push({ breakpoint: bp, reason: support.reason });
    else if (runBody[KEY[bp.when]] !== undefined) skipped.push({ breakpoint: bp, reason: 'file' });
    else {
      applied.push(bp);
      // The name the server knows: JS draws a node named `subgraph` as `"subgraph"`.
      names[bp.when].push(nodeNameOf(bp.node));
    }
  }
  const body: Record<string, unknown> = { ...runBody };
  for (const when of ['before', 'after'] as const) if (names[when].length) body[KEY[when]] = names[when];
  return { body: body as AppliedBreakpoints<T>['body'], applied, skipped };
}

/** "before tools, after agent" (for the run's notification); "" for none. */
export function breakpointsText(breakpoints: readonly Breakpoint[]): string {
  return [...breakpoints]
    .sort(order)
    .map((b) => `${b.when} ${b.node}`)
    .join(', ');
}

/**
 * Whether a thread stopped at a breakpoint (seen on both servers): it reads interrupted, has
 * nodes next, and waits at no interrupt value (interrupt() leaves one; a breakpoint none).
 */
export function isBreakpointStop(thread: { status?: string; next: readonly string[]; interruptCount: number }): boolean {
  return thread.status === 'interrupted' && thread.next.length > 0 && thread.interruptCount === 0;
}

/** "Continue": a run from the interrupted thread with no input. */
export function continueBody(assistantId: string): { assistant_id: string; input: null } {
  return { assistant_id: assistantId, input: null };
}

/** "Step": continue and pause again after the node(s) the thread runs next (its state's `next`). */
export function stepBody(assistantId: string, next: readonly string[]): { assistant_id: string; input: null; interrupt_after: string[] } {
  return { ...continueBody(assistantId), interrupt_after: [...next] };
}

function isBreakpoint(value: unknown): value is Breakpoint {
  return isRecord(value) && typeof value.node === 'string' && (value.when === 'before' || value.when === 'after') && breakpointSupport(value.node).ok;
}
