/** The panel's webview options and HTML: resources limited to the extension's media and built script. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { panelShell } from './shell';

/** Where the webview may load files from: the extension's media and its built webview script. */
export function resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: resourceRoots(extensionUri) };
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return panelShell({
    cspSource: webview.cspSource,
    // A fresh nonce per page: content cannot guess it to get a script of its own allowed.
    nonce: randomBytes(18).toString('base64'),
    cssUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'thread.css')).toString(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
    title,
  });
}
