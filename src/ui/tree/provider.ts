/**
 * The `langgraph.deployments` tree. Refreshing a node repaints that subtree only; node ids are
 * stable (deployment URL, thread id, run id), so expansion and selection survive refreshes.
 */
import * as vscode from 'vscode';
import type { Deployment } from '../../core/deployments';
import type { RunRef } from '../../core/refs';
import type { DeploymentRegistry } from '../../core/registry';
import type { RunOutcome } from '../../core/runOutcome';
import { NO_FILTER, type ThreadFilter } from '../../core/threadFilter';
import { threadPageSize, untrustedWorkspaceSetsDeployments } from '../settings';
import { DeploymentNode } from './deploymentNode';
import { RunNode } from './runNode';
import { MessageNode } from './messageNodes';
import { TreeNode, type TreeHost } from './node';
import { warningIcon } from './icons';

export class DeploymentsTree implements vscode.TreeDataProvider<TreeNode>, TreeHost, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private nodes = new Map<string, DeploymentNode>();
  private notices: TreeNode[] = [];
  private currentFilter: ThreadFilter = NO_FILTER;
  private readonly filterEmitter = new vscode.EventEmitter<ThreadFilter>();
  readonly onDidChangeFilter = this.filterEmitter.event;
  /** How the tracker saw a run end (the runs feature sets it): run rows read as the notification did. */
  endOf: (run: RunRef) => RunOutcome | undefined = () => undefined;
  /** The nodes a streamed run is in now (the runs feature sets it). */
  nodesOf: (run: RunRef) => readonly string[] | undefined = () => undefined;
  /** The workspace's LangGraph projects, shown above the deployments (the dev server feature sets it). */
  projects: () => Promise<TreeNode[]> = async () => [];

  constructor(private readonly registry: DeploymentRegistry) {}

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.children();
    const [projects, ignored] = await Promise.all([this.projects().catch(() => []), untrustedWorkspaceSetsDeployments()]);
    this.syncDeployments(ignored);
    return [...this.notices, ...projects, ...this.nodes.values()];
  }

  /** Hovering a failed run reads its error for the tooltip. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (!(node instanceof RunNode)) return item;
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      await node.loadError(controller.signal);
    } finally {
      subscription.dispose();
    }
    item.tooltip = node.treeItem().tooltip;
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  get filter(): ThreadFilter {
    return this.currentFilter;
  }

  /** Applies a thread filter to every deployment and reloads their lists. */
  setFilter(filter: ThreadFilter): void {
    this.currentFilter = filter;
    this.filterEmitter.fire(filter);
    for (const node of this.nodes.values()) node.invalidate();
    this.changed(undefined);
  }

  /** The deployment nodes shown (the registry's deployments). */
  deployments(): DeploymentNode[] {
    this.syncDeployments();
    return [...this.nodes.values()];
  }

  /** Repaints the root list (a project started or stopped); the deployments keep what they loaded. */
  refreshProjects(): void {
    this.changed(undefined);
  }

  /** Reloads one deployment's threads, if it is shown. */
  refreshDeployment(deploymentUrl: string): void {
    const node = this.nodes.get(this.registry.find(deploymentUrl)?.id ?? deploymentUrl);
    if (node) this.refresh(node);
  }

  /** Drops what a node (or the whole view) loaded and repaints it. */
  refresh(node?: TreeNode): void {
    if (node) node.invalidate();
    else {
      for (const n of this.nodes.values()) n.invalidate();
      this.nodes.clear();
    }
    this.changed(node);
  }

  /**
   * Refreshes one thread's item and its runs, if that thread is loaded in the view; the rest of
   * the tree is left alone (no storm of requests when many runs end).
   */
  refreshThread(deploymentUrl: string, threadId: string): void {
    const thread = this.nodes.get(deploymentUrl)?.loadedThread(threadId);
    if (thread) void thread.reload().then(() => this.changed(thread));
  }

  /** Redraws a run's row if it is loaded (its nodes changed); asks the server nothing. */
  refreshRun(run: RunRef): void {
    const row = this.nodes.get(run.deploymentUrl)?.loadedThread(run.threadId)?.runs.loaded().find((r) => r.runId === run.runId);
    if (row) this.changed(row);
  }

  changed(node: TreeNode | undefined): void {
    this.emitter.fire(node);
  }

  dispose(): void {
    this.emitter.dispose();
    this.filterEmitter.dispose();
  }

  /**
   * Rebuilds the root list from the registry (settings, then running dev servers), keeping the
   * nodes (and their pages) that still apply.
   */
  private syncDeployments(workspaceListIgnored = false): void {
    const settings = this.registry.snapshot();
    const next = new Map<string, DeploymentNode>();
    for (const deployment of this.registry.list()) {
      const existing = this.nodes.get(deployment.id);
      if (existing) existing.deployment = deployment;
      next.set(deployment.id, existing ?? this.makeNode(deployment));
    }
    this.nodes = next;
    this.notices = [];
    if (settings.ignoredUntrusted || workspaceListIgnored) {
      this.notices.push(
        new MessageNode(undefined, 'notice|untrusted', 'Workspace deployments ignored', {
          description: 'workspace not trusted',
          icon: warningIcon(),
          tooltip:
            'This workspace lists its own LangGraph deployments. They are ignored until you trust the workspace, so that it cannot send your API keys to a host of its choosing. Your user settings are used instead.',
          command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
        }),
      );
    }
    for (const problem of settings.problems) {
      this.notices.push(
        new MessageNode(undefined, `notice|problem|${problem.index}`, problem.message, {
          icon: warningIcon(),
          command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['langgraph.deployments'] },
        }),
      );
    }
  }

  private makeNode(deployment: Deployment): DeploymentNode {
    return new DeploymentNode(this, deployment, () => this.registry.client(deployment.id), threadPageSize, this.registry.isConfigured(deployment.id));
  }
}
