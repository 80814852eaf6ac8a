/** Shared by the extension-host tests: the extension's API, settings, and the tree's items. */
import * as vscode from 'vscode';
import { AgentServerClient } from '../../src/api';
import type { TestApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/tree/node';

export const EXTENSION_ID = 'langgraph-deployments.langgraph-deployments';

export function serverUrl(): string {
  const url = process.env.LANGGRAPH_TEST_SERVER_URL;
  if (!url) throw new Error('LANGGRAPH_TEST_SERVER_URL is not set: run the suite through npm run test:extension');
  return url.replace(/\/$/, '');
}

/** Which Agent Server the suite runs against ('js' or 'python'), for the few server-specific lines. */
export function serverKind(): 'js' | 'python' {
  return process.env.LANGGRAPH_TEST_SERVER_KIND === 'python' ? 'python' : 'js';
}

export function authServerUrl(): string {
  const url = process.env.LANGGRAPH_TEST_AUTH_SERVER_URL;
  if (!url) throw new Error('LANGGRAPH_TEST_AUTH_SERVER_URL is not set');
  return url.replace(/\/$/, '');
}

/** The extension's internals: activate() hands them out only in ExtensionMode.Test. */
export async function api(): Promise<TestApi> {
  const extension = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  const internals = await extension.activate();
  if (!internals) throw new Error(`${EXTENSION_ID} returned no internals: is the host in test mode?`);
  return internals;
}

/** A client of the test server of its own, to set up and check state behind the extension's back. */
export function serverClient(url = serverUrl(), apiKey?: string): AgentServerClient {
  return new AgentServerClient({ url, ...(apiKey ? { apiKey: () => apiKey } : {}) });
}

export async function setDeployments(list: { name: string; url: string }[]): Promise<void> {
  await vscode.workspace.getConfiguration('langgraph').update('deployments', list, vscode.ConfigurationTarget.Global);
}

export interface Row {
  node: TreeNode;
  item: vscode.TreeItem;
  label: string;
}

/** The children of a node (or the roots) as the view would show them. */
export async function rows(node?: TreeNode): Promise<Row[]> {
  const { tree } = await api();
  const children = await tree.getChildren(node);
  return children.map((child) => {
    const item = tree.getTreeItem(child) as vscode.TreeItem;
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node: child, item, label };
  });
}

export async function rootNamed(name: string): Promise<Row> {
  const found = (await rows()).find((r) => r.label === name);
  if (!found) throw new Error(`no deployment named ${name} in the view: ${(await rows()).map((r) => r.label).join(', ')}`);
  return found;
}
