/**
 * The breakpoints set in graph panels, kept in the workspace's state (per deployment, by its
 * canonical URL, and assistant): the graph panels show and change them, runs from run files get
 * them. What is read back goes through `Breakpoints.deserialize` (bounded, bad entries dropped).
 * No vscode at run time (a Memento-like object and plain listeners), so the unit suite tests it.
 */
import type * as vscode from 'vscode';
import { canonicalUrl } from '../../core/deployments';
import { breakpointSupport, Breakpoints, type Breakpoint, type BreakpointScope } from '../../core/graph/breakpoints';

export const BREAKPOINTS_KEY = 'langgraph.breakpoints';

export type BreakpointMemento = Pick<vscode.Memento, 'get' | 'update'>;

/** A toggle's result: on or off now, or why the node takes none. */
export type ToggleOutcome = { ok: true; on: boolean } | { ok: false; message: string };

export class BreakpointStore {
  private value: Breakpoints | undefined;
  private readonly listeners = new Set<(scope: BreakpointScope) => void>();

  constructor(private readonly memento: BreakpointMemento) {}

  /** One assistant's, by node, "before" first. */
  list(scope: BreakpointScope): Breakpoint[] {
    return this.current().list(canonical(scope));
  }

  toggle(scope: BreakpointScope, bp: Breakpoint): Promise<void> {
    return this.change(scope, (b, s) => b.toggle(s, bp));
  }

  /** What a click on a node's margin or its menu does: refused with the words for a node that takes none. */
  async toggleOrSay(scope: BreakpointScope, bp: Breakpoint): Promise<ToggleOutcome> {
    const support = breakpointSupport(bp.node);
    if (!support.ok) return { ok: false, message: `No breakpoint on ${bp.node.slice(0, 100)}: ${support.message}` };
    await this.toggle(scope, bp);
    return { ok: true, on: this.list(scope).some((b) => b.node === bp.node && b.when === bp.when) };
  }

  set(scope: BreakpointScope, bp: Breakpoint, on: boolean): Promise<void> {
    return this.change(scope, (b, s) => b.set(s, bp, on));
  }

  /** One node's, or all of the assistant's. */
  clear(scope: BreakpointScope, node?: string): Promise<void> {
    return this.change(scope, (b, s) => b.clear(s, node));
  }

  /** Called with the scope whose breakpoints changed. */
  onDidChange(listener: (scope: BreakpointScope) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private current(): Breakpoints {
    this.value ??= Breakpoints.deserialize(this.memento.get<unknown>(BREAKPOINTS_KEY));
    return this.value;
  }

  private async change(scope: BreakpointScope, edit: (b: Breakpoints, s: BreakpointScope) => Breakpoints): Promise<void> {
    const s = canonical(scope);
    const before = this.current();
    const after = edit(before, s);
    if (after === before) return;
    this.value = after;
    for (const listener of [...this.listeners]) listener(s);
    await this.memento.update(BREAKPOINTS_KEY, after.serialize());
  }
}

function canonical(scope: BreakpointScope): BreakpointScope {
  return { deployment: canonicalUrl(scope.deployment), assistant: scope.assistant };
}
