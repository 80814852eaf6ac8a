import * as vscode from 'vscode';
import type { Run } from '../../api';
import type { Deployment } from '../../core/deployments';
import { shortId, timeAgo } from '../../core/threadLabels';
import { runIcon } from './icons';
import { TreeNode } from './node';

const ACTIVE = new Set(['pending', 'running']);

export class RunNode extends TreeNode {
  constructor(
    parent: TreeNode,
    readonly deployment: Deployment,
    readonly run: Run,
  ) {
    super(parent);
  }

  get threadId(): string {
    return this.run.thread_id;
  }

  get runId(): string {
    return this.run.run_id;
  }

  treeItem(): vscode.TreeItem {
    const { run } = this;
    const graph = typeof run.metadata.graph_id === 'string' ? run.metadata.graph_id : shortId(run.assistant_id);
    const item = new vscode.TreeItem(`${graph} · ${run.status}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.deployment.id}|run|${run.run_id}`;
    item.description = timeAgo(run.created_at);
    item.iconPath = runIcon(run.status);
    item.contextValue = ACTIVE.has(run.status) ? 'run.active' : 'run.done';
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown(`**Run** \`${run.run_id}\`  \n`);
    tip.appendText(`Status: ${run.status}\nAssistant: ${run.assistant_id}\nThread: ${run.thread_id}\n`);
    tip.appendText(`Multitask strategy: ${run.multitask_strategy ?? 'reject'}\nCreated: ${run.created_at}\nUpdated: ${run.updated_at}`);
    item.tooltip = tip;
    item.command = { command: 'langgraph.openThread', title: 'Open Thread Result', arguments: [this] };
    return item;
  }
}
