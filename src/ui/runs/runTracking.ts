/**
 * The background-run feature as the extension holds it: the core tracker over workspaceState and
 * the deployments' clients, the status bar item and the notifications. Building it does no
 * network; `registerRunTracking` wires it and resumes what a previous window followed.
 */
import * as vscode from 'vscode';
import { RunTracker, type TrackerStorage } from '../../core/tracker';
import type { DeploymentClients } from '../../core/clients';
import type { ApiKeys } from '../apiKeys';
import { RunNotices } from './notices';
import { RunsStatusBar } from './statusBar';
import { trackerBackends } from './trackerClients';
import { workspaceStorage } from './workspaceStorage';

export class RunTracking implements vscode.Disposable {
  readonly tracker: RunTracker;
  readonly statusBar: RunsStatusBar;
  readonly notices: RunNotices;
  /** Where followed runs are kept for the next window (workspaceState). */
  readonly storage: TrackerStorage;

  constructor(memento: vscode.Memento, keys: ApiKeys, clients: DeploymentClients) {
    this.storage = workspaceStorage(memento);
    this.tracker = new RunTracker({ backendFor: trackerBackends(clients, keys), storage: this.storage });
    this.statusBar = new RunsStatusBar(this.tracker);
    this.notices = new RunNotices(this.tracker);
  }

  dispose(): void {
    // Joins are aborted; what is followed stays in workspaceState for the next window.
    this.notices.dispose();
    this.statusBar.dispose();
    this.tracker.dispose();
  }
}
