/** Status icons, with theme colours so they read in light, dark and high-contrast themes. */
import * as vscode from 'vscode';

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

export function runIcon(status: string | undefined): vscode.ThemeIcon {
  switch (status) {
    case 'pending':
      return icon('clock', 'charts.yellow');
    case 'running':
      return icon('sync~spin', 'charts.blue');
    case 'success':
      return icon('pass', 'testing.iconPassed');
    case 'error':
      return icon('error', 'testing.iconFailed');
    case 'timeout':
      return icon('watch', 'testing.iconFailed');
    case 'interrupted':
      return icon('debug-pause', 'charts.yellow');
    default:
      return icon('circle-outline');
  }
}

export const errorIcon = (): vscode.ThemeIcon => icon('error', 'errorForeground');
export const warningIcon = (): vscode.ThemeIcon => icon('warning', 'list.warningForeground');
