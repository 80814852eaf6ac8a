import * as vscode from 'vscode';
import { isApiError, taskErrorMessage, type AgentServerClient, type Run } from '../../api';
import type { Deployment } from '../../core/deployments';
import { runIcon } from './icons';
import { escapeMarkdown } from '../markdown';
import { TreeNode } from './node';
import { runRow, type RunRowContext } from './runRow';

export class RunNode extends TreeNode {
  /** A failed run's error, read on hover (the run object does not carry it). */
  private error: string | undefined;

  constructor(
    parent: TreeNode,
    readonly deployment: Deployment,
    readonly run: Run,
    private readonly client: AgentServerClient,
    /** What the row needs besides the run: its thread's status (latest run only), the tracker's word. */
    private readonly context: () => RunRowContext = () => ({}),
  ) {
    super(parent);
  }

  get isActive(): boolean {
    return runRow(this.run).active;
  }

  get threadId(): string {
    return this.run.thread_id;
  }

  get runId(): string {
    return this.run.run_id;
  }

  /**
   * The error of a failed run, read when the user hovers it (resolveTreeItem), once per run. The
   * run object does not carry it and a join of a finished run no longer does; the checkpoint the
   * run failed on does, in its tasks (found by the run id in checkpoint metadata).
   */
  async loadError(signal: AbortSignal): Promise<void> {
    if (this.run.status !== 'error' || this.error !== undefined) return;
    try {
      const [checkpoint] = await this.client.threads.history(this.run.thread_id, { limit: 1, metadata: { run_id: this.run.run_id } }, { signal });
      const raw = checkpoint?.tasks.find((t) => t.error)?.error;
      this.error = raw ? taskErrorMessage(raw) : 'not recorded (cancelled runs end "error" without one)';
    } catch (error) {
      if (isApiError(error) && error.kind === 'aborted') return;
      this.error = `could not be read: ${isApiError(error) ? error.message : String(error)}`;
    }
  }

  treeItem(): vscode.TreeItem {
    const { run } = this;
    const row = runRow(run, this.context());
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.deployment.id}|run|${run.run_id}`;
    item.description = row.description;
    item.iconPath = runIcon(row.phase);
    item.contextValue = row.active ? 'run.active' : 'run.done';
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown(`**Run** ${escapeMarkdown(run.run_id)}  \n`);
    tip.appendText(`Status: ${run.status}\nAssistant: ${run.assistant_id}\nThread: ${run.thread_id}\n`);
    tip.appendText(`Multitask strategy: ${run.multitask_strategy ?? 'reject'}\nCreated: ${run.created_at}\nUpdated: ${run.updated_at}`);
    if (this.error) tip.appendText(`\n\nError: ${this.error}`);
    // Failed runs get their error in resolveTooltip; until then VS Code shows this one.
    item.tooltip = run.status === 'error' && !this.error ? undefined : tip;
    item.command = { command: 'langgraph.openThread', title: 'Open Thread Result', arguments: [this] };
    return item;
  }
}

