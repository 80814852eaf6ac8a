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
  return [runs, ended, { dispose: () => clearTimeout(timer) }, ...registerRunCommands(runs)];
}
