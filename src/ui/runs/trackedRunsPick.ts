/**
 * `langgraph.showTrackedRuns`: the followed runs and the recently finished ones. Selecting a run
 * opens its result; each followed run has buttons to open, cancel, stop following (and delete,
 * when it may be stuck). The list updates itself while open.
 */
import * as vscode from 'vscode';
import type { RunEndReport } from '../../core/refs';
import { describeEnd, followedPhase, runName, RUN_WORDS } from '../../core/runOutcome';
import type { TrackedRun } from '../../core/tracker';
import { shortId, timeAgo } from '../../core/threadLabels';
import { deleteRun } from './notices';
import { cancelAndReport } from './cancelRun';
import type { RunsUi } from './runsUi';

type Action = 'open' | 'cancel' | 'stop' | 'delete';

export interface RunItem extends vscode.QuickPickItem {
  run?: TrackedRun | RunEndReport;
}

interface ActionButton extends vscode.QuickInputButton {
  action: Action;
}

const BUTTONS: Record<Action, ActionButton> = {
  open: { action: 'open', iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open Result' },
  cancel: { action: 'cancel', iconPath: new vscode.ThemeIcon('debug-stop'), tooltip: 'Cancel Run' },
  stop: { action: 'stop', iconPath: new vscode.ThemeIcon('eye-closed'), tooltip: 'Stop Following (the run goes on)' },
  delete: { action: 'delete', iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete Run (for a run stuck after a server restart)' },
};

export function trackedRunItems(ui: RunsUi): RunItem[] {
  const { tracker } = ui;
  const active = tracker.list();
  const recent = tracker.recent();
  const items: RunItem[] = [];
  if (active.length === 0 && recent.length === 0) {
    return [{ label: 'No background runs', detail: 'Runs started from a JSON file, or joined from the LangGraph view, show here.' }];
  }
  if (active.length) items.push({ label: 'Following', kind: vscode.QuickPickItemKind.Separator });
  for (const run of active) {
    const words = RUN_WORDS[followedPhase(run.runStatus)];
    const status = run.suspect
      ? 'may be stuck'
      : run.unreachable
        ? 'server not answering, retrying'
        : run.cancelRequested
          ? 'cancelling'
          : run.nodes?.length
            ? `${words.word} in ${run.nodes.join(', ')}`
            : words.word;
    items.push({
      label: `${run.suspect ? '$(warning)' : `$(${words.icon})`} ${runName(run)}`,
      description: `${status} · ${ui.name(run.deploymentUrl)}`,
      detail: run.suspect ?? `thread ${shortId(run.threadId)} · followed ${timeAgo(new Date(run.followedAt).toISOString())}`,
      buttons: run.suspect ? [BUTTONS.open, BUTTONS.delete, BUTTONS.stop] : [BUTTONS.open, BUTTONS.cancel, BUTTONS.stop],
      run,
    });
  }
  if (recent.length) items.push({ label: 'Recently finished', kind: vscode.QuickPickItemKind.Separator });
  for (const report of recent) {
    const words = RUN_WORDS[report.outcome];
    items.push({
      label: `$(${words.icon}) ${runName(report)}`,
      description: `${words.word} · ${ui.name(report.deploymentUrl)}`,
      detail: describeEnd(report),
      buttons: [BUTTONS.open],
      run: report,
    });
  }
  return items;
}

export function showTrackedRuns(ui: RunsUi): vscode.QuickPick<RunItem> {
  const { tracker } = ui;
  const pick = vscode.window.createQuickPick<RunItem>();
  pick.title = 'LangGraph: Background Runs';
  pick.placeholder = 'Select a run to open its result';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const refresh = (): void => {
    const active = pick.activeItems[0]?.run;
    pick.items = trackedRunItems(ui);
    const again = active && pick.items.find((i) => i.run?.runId === active.runId);
    if (again) pick.activeItems = [again];
  };
  refresh();
  const subscriptions = [
    tracker.onDidChange(refresh),
    pick.onDidAccept(() => {
      const run = pick.activeItems[0]?.run;
      if (!run) return;
      pick.hide();
      ui.open(run);
    }),
    pick.onDidTriggerItemButton(async (e) => {
      const run = e.item.run;
      if (!run) return;
      const action = (e.button as ActionButton).action;
      if (action === 'open') {
        pick.hide();
        ui.open(run);
      } else if (action === 'cancel') await cancelAndReport(ui, run);
      else if (action === 'stop') tracker.stopFollowing(run);
      else if (action === 'delete') await deleteRun(ui, run);
    }),
    pick.onDidHide(() => {
      for (const s of subscriptions) s.dispose();
      pick.dispose();
    }),
  ];
  pick.show();
  return pick;
}
