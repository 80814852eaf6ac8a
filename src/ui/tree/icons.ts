/** Status icons, with theme colours so they read in light, dark and high-contrast themes. */
import * as vscode from 'vscode';
import { RUN_WORDS, type RunPhase, type RunTone } from '../../core/runOutcome';

const icon = (id: string, color?: string): vscode.ThemeIcon =>
  new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export function threadIcon(status: string | undefined): vscode.ThemeIcon {
  switch (status) {
    case 'busy':
      return icon('sync~spin', 'charts.blue');
    case 'interrupted':
      return icon('debug-pause', 'charts.yellow');
    case 'error':
      return icon('error', 'testing.iconFailed');
    default:
      return icon('comment-discussion');
  }
}

const TONE_COLORS: Record<RunTone, string | undefined> = {
  active: 'charts.blue',
  waiting: 'charts.yellow',
  ok: 'testing.iconPassed',
  bad: 'testing.iconFailed',
  quiet: undefined,
};

/** A run's icon: the vocabulary's (core/runOutcome.ts), coloured by its tone. */
export function runIcon(phase: RunPhase): vscode.ThemeIcon {
  const { icon: id, tone } = RUN_WORDS[phase];
  return icon(id, TONE_COLORS[tone]);
}

export const errorIcon = (): vscode.ThemeIcon => icon('error', 'errorForeground');
export const warningIcon = (): vscode.ThemeIcon => icon('warning', 'list.warningForeground');
