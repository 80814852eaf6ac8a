import type * as vscode from 'vscode';
import type { RunRef } from '../../core/refs';
import type { RunOutcome } from '../../core/runOutcome';
import type { ThreadFilter } from '../../core/threadFilter';

/** A node of the Deployments view. Nodes keep what they loaded until they are refreshed. */
export abstract class TreeNode {
  constructor(readonly parent: TreeNode | undefined) {}
  abstract treeItem(): vscode.TreeItem;
  children(): TreeNode[] | Promise<TreeNode[]> {
    return [];
  }
  /** Drops what the node loaded, so the next `children()` asks the server again. */
  invalidate(): void {}
}

/** What nodes need from the view: ask for a repaint of one subtree. */
export interface TreeHost {
  changed(node: TreeNode | undefined): void;
  /** The thread filter every deployment's list applies. */
  readonly filter: ThreadFilter;
  /** How the tracker saw a run end, when it followed it (it knows a cancel the run's status does not show). */
  endOf?(run: RunRef): RunOutcome | undefined;
  /** The nodes a run is in now, while a thread panel streams it. */
  nodesOf?(run: RunRef): readonly string[] | undefined;
}
