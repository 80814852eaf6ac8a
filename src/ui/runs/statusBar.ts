/**
 * One status bar item on the left: hidden while nothing runs, `$(sync~spin) N` while runs are
 * followed (with `$(warning) M` for runs that may be stuck); its tooltip lists them; a click
 * opens the background-runs list.
 */
import * as vscode from 'vscode';
import { runName, type TrackedRun } from '../../core/tracker';
import { followedPhase, RUN_WORDS } from '../../core/runOutcome';
import { timeAgo } from '../../core/threadLabels';
import type { RunsUi } from './runsUi';

const LISTED = 10;

export class RunsStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  /** Whether the item is shown (StatusBarItem does not say). */
  visible = false;
  private readonly subscription: { dispose(): void };

  private get tracker() {
    return this.ui.tracker;
  }

  constructor(private readonly ui: RunsUi) {
    this.item = vscode.window.createStatusBarItem('langgraph.backgroundRuns', vscode.StatusBarAlignment.Left, 40);
    this.item.name = 'LangGraph Background Runs';
    this.item.command = 'langgraph.showTrackedRuns';
    this.subscription = ui.tracker.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const runs = this.tracker.list();
    this.visible = runs.length > 0;
    if (!this.visible) {
      this.item.hide();
      return;
    }
    const stuck = runs.filter((r) => r.suspect).length;
    this.item.text = `$(sync~spin) ${runs.length}${stuck ? ` $(warning) ${stuck}` : ''}`;
    this.item.accessibilityInformation = { label: `${runs.length} LangGraph background runs${stuck ? `, ${stuck} may be stuck` : ''}` };
    this.item.tooltip = tooltip(runs, (url) => this.ui.name(url));
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function tooltip(runs: TrackedRun[], name: (url: string) => string): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**Background runs** (${runs.length})\n\n`);
  for (const run of runs.slice(0, LISTED)) {
    const words = RUN_WORDS[followedPhase(run.runStatus)];
    const icon = run.suspect ? '$(warning)' : `$(${words.icon})`;
    const status = run.suspect ? 'may be stuck' : run.unreachable ? 'server not answering, retrying' : run.nodes?.length ? `${words.word} in ${run.nodes.join(', ')}` : words.word;
    tip.appendMarkdown(`${icon} `);
    tip.appendText(`${runName(run)} — ${status} · ${name(run.deploymentUrl)} · followed ${timeAgo(new Date(run.followedAt).toISOString())}`);
    tip.appendMarkdown('  \n');
  }
  if (runs.length > LISTED) tip.appendText(`… and ${runs.length - LISTED} more\n`);
  tip.appendMarkdown('\nClick to show, open or cancel them.');
  return tip;
}
