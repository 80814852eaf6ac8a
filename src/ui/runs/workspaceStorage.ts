/** The tracker's storage in the workspace's state: tracked runs come back after a window reload. */
import type * as vscode from 'vscode';
import type { PersistedState, TrackerStorage } from '../../core/tracker';

export const TRACKED_RUNS_KEY = 'langgraph.trackedRuns';

export function workspaceStorage(memento: vscode.Memento): TrackerStorage {
  return {
    load: () => memento.get<unknown>(TRACKED_RUNS_KEY),
    save: (state: PersistedState) => memento.update(TRACKED_RUNS_KEY, state),
  };
}
