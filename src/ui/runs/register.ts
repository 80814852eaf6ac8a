/** Registers the background-run feature: commands, the run-ended event, and resuming after a reload. */
import * as vscode from 'vscode';
import { plural } from '../../shared/text';
import { log } from '../log';
import type { Services } from '../services';
import { registerRunCommands } from './runCommands';
import { RunTracking } from './runTracking';

export { RunTracking };

export function registerRunTracking(services: Services): vscode.Disposable[] {
  const { runs, runEnded, tree } = services;
  tree.endOf = (run) => runs.tracker.ended(run)?.outcome;
  tree.nodesOf = (run) => runs.tracker.get(run)?.nodes;
  // A streamed run's row says the node it is in: redrawn when that changes (only followed runs are kept).
  let shown = new Map<string, string>();
  const progress = runs.tracker.onDidChange(() => {
    const now = new Map<string, string>();
    for (const run of runs.tracker.list()) {
      const key = `${run.deploymentUrl}|${run.runId}`;
      now.set(key, run.nodes?.join(',') ?? '');
      if ((shown.get(key) ?? '') !== now.get(key)) tree.refreshRun(run);
    }
    shown = now;
  });
  const ended = runs.tracker.onDidEnd((report) => {
    // A run given up on did not end: nothing to refresh.
    if (report.outcome === 'unfollowable') return;
    const { deploymentUrl, threadId, runId, status, threadStatus, error, outcome } = report;
    runEnded.fire({ deploymentUrl, threadId, runId, status, outcome, ...(threadStatus ? { threadStatus } : {}), ...(error ? { error } : {}) });
  });
  // Resume after activate() has returned: activation itself sends nothing.
  const timer = setTimeout(() => {
    const resumed = runs.tracker.resume();
    if (resumed > 0) log().info(`Resumed following ${plural(resumed, 'background run')}.`);
  }, 0);
  return [runs, ended, progress, { dispose: () => clearTimeout(timer) }, ...registerRunCommands(runs)];
}
