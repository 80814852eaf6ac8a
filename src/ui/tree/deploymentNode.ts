import * as vscode from 'vscode';
import { familyOf, isApiError, type AgentServerClient, type AssistantList, type ServerInfo } from '../../api';
import type { Deployment } from '../../core/deployments';
import { isFiltered } from '../../core/threadFilter';
import { describeError } from '../log';
import { escapeMarkdown } from '../markdown';
import { AssistantsNode } from './assistantNode';
import { errorIcon, warningIcon } from './icons';
import { ErrorNode, LoadMoreNode, MessageNode } from './messageNodes';
import { TreeNode, type TreeHost } from './node';
import { Pager } from './pager';
import { THREAD_LIST_FIELDS, ThreadNode } from './threadNode';

type Reachability = 'unknown' | 'ok' | 'unreachable' | 'unauthorized';

export class DeploymentNode extends TreeNode {
  readonly threads: Pager<ThreadNode>;
  private reachability: Reachability = 'unknown';
  private info: ServerInfo | undefined;
  /** Read with the threads' first page; kept until a refresh. */
  private assistants: Promise<AssistantList | { error: unknown }> | undefined;

  constructor(
    private readonly host: TreeHost,
    public deployment: Deployment,
    /** The deployment's client from the registry (its key read first). */
    private readonly clientFor: () => Promise<AgentServerClient>,
    pageSize: () => number,
    /** In the settings; false for a workspace dev server's (not renamed, removed or keyed from the tree). */
    private readonly configured = true,
  ) {
    super(undefined);
    this.threads = new Pager(
      async (offset, limit) => {
        const client = await this.clientFor();
        const { status, metadata } = host.filter;
        const page = await client.threads.list({
          offset,
          limit,
          select: THREAD_LIST_FIELDS,
          sortBy: 'updated_at',
          sortOrder: 'desc',
          ...(status ? { status } : {}),
          ...(Object.keys(metadata).length ? { metadata } : {}),
        });
        return { ...page, items: page.items.map((t) => new ThreadNode(this, host, this.deployment, client, t)) };
      },
      (node) => node.threadId,
      pageSize,
    );
  }

  treeItem(): vscode.TreeItem {
    const { deployment } = this;
    const item = new vscode.TreeItem(deployment.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `deployment|${deployment.id}`;
    item.description = this.reachability === 'unreachable' ? 'unreachable' : this.reachability === 'unauthorized' ? 'needs API key' : deployment.url;
    item.iconPath =
      this.reachability === 'unreachable' ? errorIcon() : this.reachability === 'unauthorized' ? warningIcon() : new vscode.ThemeIcon('server');
    // `deployment.<reachability>`, and `.devServer` for a running dev server's: the settings commands
    // (rename, remove, API key) are offered only without it.
    item.contextValue = `deployment.${this.reachability}${this.configured ? '' : '.devServer'}`;
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown(`**${escapeMarkdown(deployment.name)}**  \n`);
    tip.appendText(`${deployment.url}\n`);
    // Both servers report `version`; only the JS one says `context: "js"`: name the family for both.
    if (this.info?.version) tip.appendText(`Agent Server ${this.info.version} (${familyOf(this.info) === 'js' ? 'JS' : 'Python'})\n`);
    if (this.reachability !== 'ok' && this.threads.error !== undefined) tip.appendText(describeError(this.threads.error));
    item.tooltip = tip;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const infoRequest = this.info
      ? undefined
      : this.clientFor()
          .then((client) => client.info({ timeoutMs: 5_000 }))
          .then((i) => (this.info = i), () => undefined);
    this.assistants ??= this.clientFor()
      .then((client) => client.assistants.all())
      .catch((error: unknown) => ({ error }));
    const [threads, assistants] = await Promise.all([this.threads.current(), this.assistants]);
    await infoRequest;
    this.setReachability(this.threads.error === undefined ? 'ok' : classify(this.threads.error));

    if (this.threads.error !== undefined && threads.length === 0) return this.errorNodes(this.threads.error);
    const nodes: TreeNode[] = [new AssistantsNode(this, this.deployment, assistants), ...threads];
    if (this.threads.error !== undefined) nodes.push(...this.errorNodes(this.threads.error));
    else if (this.threads.hasMore) nodes.push(new LoadMoreNode(this, `deployment|${this.deployment.id}|more`, this.threads.loading));
    else if (threads.length === 0) {
      const filtered = isFiltered(this.host.filter);
      nodes.push(
        new MessageNode(this, `deployment|${this.deployment.id}|empty`, filtered ? 'No threads match the filter' : 'No threads yet', {
          ...(filtered ? { command: { command: 'langgraph.clearThreadFilter', title: 'Clear Filter' }, tooltip: 'Click to clear the filter' } : {}),
        }),
      );
    }
    return nodes;
  }

  /**
   * Reads again, in one request, the loaded threads that look active, and repaints those whose
   * status or update time changed. Errors are left for the next tick or a manual refresh.
   */
  async refreshActiveThreads(): Promise<void> {
    const active = this.threads.loaded().filter((t) => t.looksActive());
    if (active.length === 0 || this.threads.error !== undefined) return;
    try {
      const client = await this.clientFor();
      const { threads } = await client.threads.byIds(active.map((t) => t.threadId), THREAD_LIST_FIELDS);
      for (const fresh of threads) {
        const node = active.find((t) => t.threadId === fresh.thread_id);
        if (node && node.update(fresh)) this.host.changed(node);
      }
    } catch {
      // The next tick, or the user's refresh, tries again.
    }
  }

  /** The thread's node if it is on a page already loaded (no request). */
  loadedThread(threadId: string): ThreadNode | undefined {
    return this.threads.loaded().find((node) => node.threadId === threadId);
  }

  async loadMore(): Promise<void> {
    const loading = this.threads.next();
    this.host.changed(this);
    await loading;
    this.host.changed(this);
  }

  invalidate(): void {
    this.threads.reset();
    this.info = undefined;
    this.assistants = undefined;
  }

  private errorNodes(error: unknown): TreeNode[] {
    const id = `deployment|${this.deployment.id}`;
    const retry = { command: 'langgraph.refresh', title: 'Retry', arguments: [this] };
    const nodes: TreeNode[] = [new ErrorNode(this, `${id}|error`, describeError(error), `${describeError(error, true)}\n\nClick to retry.`, retry)];
    if (this.reachability === 'unauthorized') {
      nodes.push(
        new MessageNode(this, `${id}|fix-key`, 'Set API Key…', {
          icon: new vscode.ThemeIcon('key'),
          command: { command: 'langgraph.setApiKey', title: 'Set API Key…', arguments: [this] },
        }),
      );
    } else {
      nodes.push(
        new MessageNode(this, `${id}|fix-url`, 'Edit URL…', {
          icon: new vscode.ThemeIcon('edit'),
          command: { command: 'workbench.action.openSettings', title: 'Edit URL…', arguments: ['langgraph.deployments'] },
        }),
      );
    }
    nodes.push(new MessageNode(this, `${id}|retry`, 'Retry', { icon: new vscode.ThemeIcon('refresh'), command: retry }));
    return nodes;
  }

  private setReachability(next: Reachability): void {
    if (next === this.reachability) return;
    this.reachability = next;
    // Repaint this item's icon; its children are cached, so this does not ask the server again.
    queueMicrotask(() => this.host.changed(this));
  }
}

function classify(error: unknown): Reachability {
  if (isApiError(error) && (error.status === 401 || error.status === 403)) return 'unauthorized';
  return 'unreachable';
}
