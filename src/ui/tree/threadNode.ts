import * as vscode from 'vscode';
import { isApiError, type AgentServerClient } from '../../api';
import type { Deployment } from '../../core/deployments';
import { threadLabel, timeAgo } from '../../core/threadLabels';
import { truncate } from '../../shared/text';
import { describeError } from '../log';
import { escapeMarkdown } from '../markdown';
import { threadIcon } from './icons';
import { ErrorNode, LoadMoreNode, MessageNode } from './messageNodes';
import { TreeNode, type TreeHost } from './node';
import { Pager } from './pager';
import { RunNode } from './runNode';

import { THREAD_LIST_FIELDS, type ThreadListItem } from './threadFields';
export { THREAD_LIST_FIELDS, type ThreadListItem };

const RUNS_PAGE = 20;

export class ThreadNode extends TreeNode {
  readonly runs: Pager<RunNode>;
  /** Set when the server's answer about this thread was about other threads: shown, not taken. */
  private mismatch: unknown;

  constructor(
    parent: TreeNode,
    private readonly host: TreeHost,
    readonly deployment: Deployment,
    private readonly client: AgentServerClient,
    public thread: ThreadListItem,
  ) {
    super(parent);
    this.runs = new Pager(
      async (offset, limit) => {
        const page = await client.runs.list(thread.thread_id, { offset, limit });
        const items = page.items.map(
          (run, i) =>
            new RunNode(this, deployment, run, client, () => ({
              // Runs come newest first: the thread's status speaks for the first one only.
              threadStatus: offset === 0 && i === 0 ? this.thread.status : undefined,
              ended: host.endOf?.({ deploymentUrl: deployment.url, threadId: run.thread_id, runId: run.run_id }),
              nodes: host.nodesOf?.({ deploymentUrl: deployment.url, threadId: run.thread_id, runId: run.run_id }),
            })),
        );
        return { ...page, items };
      },
      (node) => node.runId,
      () => RUNS_PAGE,
    );
  }

  get threadId(): string {
    return this.thread.thread_id;
  }

  treeItem(): vscode.TreeItem {
    const { thread } = this;
    const item = new vscode.TreeItem(threadLabel(thread.thread_id, thread.metadata), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${this.deployment.id}|thread|${thread.thread_id}`;
    item.description = [thread.status, timeAgo(thread.updated_at)].filter(Boolean).join(' · ');
    item.iconPath = threadIcon(thread.status);
    item.contextValue = `thread.${thread.status}`;
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown(`**Thread** ${escapeMarkdown(thread.thread_id)}  \n`);
    const graph = thread.metadata?.graph_id ?? thread.metadata?.assistant_id;
    tip.appendText(`Status: ${thread.status}\n${graph ? `Graph: ${String(graph)}\n` : ''}Updated: ${thread.updated_at}\nCreated: ${thread.created_at}`);
    const meta = thread.metadata && Object.keys(thread.metadata).length ? JSON.stringify(thread.metadata, null, 2) : '';
    if (meta) tip.appendCodeblock(truncate(meta, 2000), 'json');
    item.tooltip = tip;
    item.command = { command: 'langgraph.openThread', title: 'Open Thread Result', arguments: [this] };
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const runs = await this.runs.current();
    const nodes: TreeNode[] = [];
    if (this.mismatch !== undefined) {
      nodes.push(
        new ErrorNode(this, `${this.idPrefix}|mismatch`, describeError(this.mismatch), describeError(this.mismatch, true), {
          command: 'langgraph.refresh',
          title: 'Retry',
          arguments: [this],
        }),
      );
    }
    nodes.push(...runs);
    if (this.runs.error !== undefined) {
      nodes.push(
        new ErrorNode(this, `${this.idPrefix}|runs-error`, describeError(this.runs.error), describeError(this.runs.error, true), {
          command: 'langgraph.refresh',
          title: 'Retry',
          arguments: [this],
        }),
      );
    } else if (this.runs.hasMore) {
      nodes.push(new LoadMoreNode(this, `${this.idPrefix}|runs-more`, this.runs.loading));
    } else if (runs.length === 0) {
      nodes.push(new MessageNode(this, `${this.idPrefix}|no-runs`, 'No runs yet'));
    }
    return nodes;
  }

  /** Busy, or a run shown as pending/running: worth reading again on the slow timer. */
  looksActive(): boolean {
    return this.thread.status === 'busy' || this.runs.loaded().some((r) => r.isActive);
  }

  /** Takes a fresher copy of the thread; true (and runs dropped) when what is shown changed. */
  update(fresh: ThreadListItem): boolean {
    const changed = fresh.status !== this.thread.status || fresh.updated_at !== this.thread.updated_at;
    this.thread = fresh;
    this.mismatch = undefined;
    if (changed) this.runs.reset();
    return changed;
  }

  /**
   * Reads the thread again (status, updated time) and drops its loaded runs. Only an answer about
   * this very thread is taken (`byId` drops others); one about other threads shows as an error.
   */
  async reload(): Promise<void> {
    this.mismatch = undefined;
    try {
      const fresh = await this.client.threads.byId(this.threadId, THREAD_LIST_FIELDS);
      if (fresh) this.thread = fresh;
    } catch (error) {
      // Keep what was shown; the runs below will show the error if the server is gone.
      if (isApiError(error) && error.kind === 'invalid-response') this.mismatch = error;
    }
    this.runs.reset();
  }

  async loadMore(): Promise<void> {
    const loading = this.runs.next();
    this.host.changed(this);
    await loading;
    this.host.changed(this);
  }

  invalidate(): void {
    this.runs.reset();
  }

  private get idPrefix(): string {
    return `${this.deployment.id}|thread|${this.thread.thread_id}`;
  }
}
