/**
 * The open thread panels, one per thread: opening a thread that has a panel reveals it. Panels
 * come back after a window reload (a WebviewPanelSerializer reads the thread from the webview's
 * saved state) and refresh themselves when a followed run on their thread ends.
 */
import * as vscode from 'vscode';
import type { AgentServerClient, Run } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { DeploymentRegistry } from '../../core/registry';
import { canonicalRef, type RunEnded, type RunRef, type ThreadRef } from '../../core/refs';
import { shortId } from '../../core/threadLabels';
import { isWebviewState, VIEW_TYPE } from '../../webview/protocol';
import { rerunFromCheckpoint } from '../commands/rerunFromCheckpoint';
import { log } from '../log';
import type { RunTracking } from '../runs/runTracking';
import type { StreamHandoff } from './liveSession';
import { panelKey, panelTitle, ThreadPanel } from './threadPanel';

export interface ThreadPanelsDeps {
  extensionUri: vscode.Uri;
  registry: DeploymentRegistry;
  runEnded: vscode.Event<RunEnded>;
  /** Background runs: a resume or a re-run from the panel is followed there. */
  runs: Pick<RunTracking, 'follow'>;
  /** Fires when the tracker starts following a run: its thread's open panel streams it. */
  followed: vscode.Event<RunRef & { run?: Run }>;
  handoff: StreamHandoff;
}

export class ThreadPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ThreadPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ThreadPanelsDeps) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
      deps.runEnded((ended) => void this.get(ended)?.refresh(ended)),
      deps.followed((followed) => this.get(followed)?.watch(followed.runId, followed.run)),
    );
  }

  /** Opens the thread's panel, or reveals it if open (then about `runId`, if given). */
  open(target: ThreadRef, runId?: string): ThreadPanel {
    const ref = canonicalRef(target);
    const existing = this.get(ref);
    if (existing) {
      existing.reveal(runId);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, panelTitle(shortId(ref.threadId)), vscode.ViewColumn.Active, {
      enableFindWidget: true,
    });
    return this.adopt(panel, ref, runId);
  }

  get(ref: ThreadRef): ThreadPanel | undefined {
    return this.panels.get(panelKey(canonicalRef(ref)));
  }

  all(): ThreadPanel[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const p of this.all()) p.dispose();
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isWebviewState(state)) {
      log().warn('A thread panel could not be restored: it did not say which thread it showed.');
      panel.dispose();
      return;
    }
    const ref = canonicalRef(state.ref);
    if (this.get(ref)) {
      panel.dispose();
      return;
    }
    this.adopt(panel, ref);
  }

  private adopt(panel: vscode.WebviewPanel, ref: ThreadRef, runId?: string): ThreadPanel {
    const threadPanel = new ThreadPanel(panel, ref, {
      extensionUri: this.deps.extensionUri,
      deploymentFor: (url) => this.deploymentFor(url),
      clientFor: (deployment) => this.clientFor(deployment),
      follow: (run) => void this.deps.runs.follow(run),
      rerun: async (deployment, checkpointId) => rerunFromCheckpoint({ threadPanels: this, runs: this.deps.runs }, deployment, await this.clientFor(deployment), ref.threadId, checkpointId),
      handoff: this.deps.handoff,
    }, runId);
    this.panels.set(threadPanel.key, threadPanel);
    threadPanel.onDidDispose(() => {
      if (this.panels.get(threadPanel.key) === threadPanel) this.panels.delete(threadPanel.key);
    });
    void threadPanel.refresh();
    return threadPanel;
  }

  clientFor(deployment: Deployment): Promise<AgentServerClient> {
    return this.deps.registry.client(deployment);
  }

  /** Only configured deployments: a saved panel state cannot point the extension at another host. */
  deploymentFor(url: string): Deployment | undefined {
    return this.deps.registry.find(url);
  }
}
