/**
 * Branches of a thread's history: where several checkpoints share one parent (a fork: a state
 * update from an earlier checkpoint, or a run from one), which child the shown line goes through,
 * and the line of checkpoints from a chosen tip back to the start, as far as it is loaded. Like
 * Agent Chat UI's branch switcher. Works on any list of checkpoints of one namespace, newest
 * first (as history pages come). No vscode, no DOM, no node: the webview may bundle this file.
 */

/** What branches need of a checkpoint (CheckpointSummary has it). */
export interface Linked {
  id: string;
  parentId: string | undefined;
}

/** A checkpoint with more than one child. */
export interface Fork {
  parentId: string;
  /** Its children, oldest first ("branch 1 of 3" is the first one made). */
  children: string[];
  /** Which of them the shown line goes through (index into `children`). */
  shown: number;
}

export interface BranchView<T extends Linked> {
  /** The newest checkpoint of the line shown. */
  tip: string | undefined;
  /** The line, newest first: the tip, its parent, and so on, as far as loaded. */
  line: T[];
  /** The forks on the line, newest first, each with the child the line takes. */
  forks: Fork[];
}

/** Each parent's children, newest first (the order of the list). */
export function childrenOf(checkpoints: readonly Linked[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const c of checkpoints) {
    if (!c.parentId) continue;
    const list = children.get(c.parentId);
    if (list) list.push(c.id);
    else children.set(c.parentId, [c.id]);
  }
  return children;
}

/** Every fork among the checkpoints, with the children oldest first; `shown` is 0 here. */
export function forksOf(checkpoints: readonly Linked[]): Fork[] {
  return [...childrenOf(checkpoints)].filter(([, kids]) => kids.length > 1).map(([parentId, kids]) => ({ parentId, children: [...kids].reverse(), shown: 0 }));
}

/**
 * The tip of the branch that starts at `fromId`: the newest checkpoint among it and all that
 * descend from it. Without `fromId`, the newest checkpoint of all (the thread's head).
 */
export function tipOf(checkpoints: readonly Linked[], fromId?: string): string | undefined {
  if (fromId === undefined) return checkpoints[0]?.id;
  const children = childrenOf(checkpoints);
  const below = new Set<string>([fromId]);
  for (const id of below) for (const child of children.get(id) ?? []) below.add(child);
  return checkpoints.find((c) => below.has(c.id))?.id ?? fromId;
}

/** The line from `tipId` back through its parents, newest first, as far as the checkpoints go. */
export function lineOf<T extends Linked>(checkpoints: readonly T[], tipId: string): T[] {
  const byId = new Map(checkpoints.map((c) => [c.id, c]));
  const line: T[] = [];
  const seen = new Set<string>();
  for (let c = byId.get(tipId); c && !seen.has(c.id); c = c.parentId ? byId.get(c.parentId) : undefined) {
    seen.add(c.id);
    line.push(c);
  }
  return line;
}

/** What to display for a chosen tip (default: the thread's newest checkpoint): the line and its forks. */
export function branchView<T extends Linked>(checkpoints: readonly T[], tipId?: string): BranchView<T> {
  const tip = tipId !== undefined && checkpoints.some((c) => c.id === tipId) ? tipId : tipOf(checkpoints);
  if (tip === undefined) return { tip, line: [], forks: [] };
  const line = lineOf(checkpoints, tip);
  const children = childrenOf(checkpoints);
  const forks: Fork[] = [];
  for (let i = 1; i < line.length; i++) {
    const kids = children.get(line[i]!.id);
    if (!kids || kids.length < 2) continue;
    const oldestFirst = [...kids].reverse();
    forks.push({ parentId: line[i]!.id, children: oldestFirst, shown: oldestFirst.indexOf(line[i - 1]!.id) });
  }
  return { tip, line, forks };
}

/** The tip to show when the user picks `childId` at the fork after `parentId`: that branch's newest checkpoint. */
export function switchBranch(checkpoints: readonly Linked[], parentId: string, childId: string): string | undefined {
  const kids = childrenOf(checkpoints).get(parentId);
  return kids?.includes(childId) ? tipOf(checkpoints, childId) : undefined;
}
