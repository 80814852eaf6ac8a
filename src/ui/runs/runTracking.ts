/**
 * The background-run feature as the extension holds it: the core tracker over workspaceState and
 * the tracker's own clients, the status bar item and the notifications. Building it does no
 * network; `registerRunTracking` wires it and resumes what a previous window followed.
 */
import * as vscode from 'vscode';
import { RunTracker, type TrackerStorage } from '../../core/tracker';
import type { ApiKeys } from '../apiKeys';
import { RunNotices } from './notices';
import { RunsStatusBar } from './statusBar';
import { TrackerClients } from './trackerClients';
import { workspaceStorage } from './workspaceStorage';

export class RunTracking implements vscode.Disposable {
  readonly tracker: RunTracker;
  readonly statusBar: RunsStatusBar;
  readonly notices: RunNotices;
  /** Where followed runs are kept for the next window (workspaceState). */
  readonly storage: TrackerStorage;
  private readonly clients: TrackerClients;

  constructor(memento: vscode.Memento, keys: ApiKeys, userAgent: string) {
    this.clients = new TrackerClients(keys, userAgent);
    this.storage = workspaceStorage(memento);
    this.tracker = new RunTracker({ backendFor: this.clients.backendFor, storage: this.storage });
    this.statusBar = new RunsStatusBar(this.tracker);
    this.notices = new RunNotices(this.tracker);
  }

  dispose(): void {
    // Joins are aborted; what is followed stays in workspaceState for the next window.
    this.notices.dispose();
    this.statusBar.dispose();
    this.tracker.dispose();
    this.clients.dispose();
  }
}
