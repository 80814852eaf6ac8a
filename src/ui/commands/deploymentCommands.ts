/** Commands on deployments: refresh, add, remove, rename, set the API key. */
import * as vscode from 'vscode';
import { normalizeUrl, type Deployment } from '../../core/deployments';
import { isCleartextRemote } from '../../core/loopback';
import type { ApiKeys } from '../apiKeys';
import { describeError } from '../log';
import type { Services } from '../services';
import { editDeployments, entryUrl } from '../settings';
import { testOnly } from '../testMode';
import type { TreeNode } from '../tree/node';
import { pickDeployment } from './pick';

export function registerDeploymentCommands({ registry, tree, keys }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('langgraph.refresh', (node?: TreeNode) => tree.refresh(node)),
    vscode.commands.registerCommand('langgraph.loadMore', async (node?: { loadMore?: () => Promise<void> }) => {
      await node?.loadMore?.();
    }),
    // A preset (name and URL) is only taken from the extension's tests: from anyone else it would
    // add a deployment without the user typing it.
    vscode.commands.registerCommand('langgraph.addDeployment', async (preset?: { name?: string; url?: string }) =>
      addDeployment(registry.list(), testOnly(preset)),
    ),
    vscode.commands.registerCommand('langgraph.removeDeployment', async (node?: unknown) => {
      const target = await pickDeployment(registry, node, 'Remove which deployment?');
      if (!target) return;
      await change(() => editDeployments((entries) => entries.filter((e) => entryUrl(e) !== target.id)));
    }),
    vscode.commands.registerCommand('langgraph.renameDeployment', async (node?: unknown, newName?: string) => {
      const target = await pickDeployment(registry, node, 'Rename which deployment?');
      if (!target) return;
      const name =
        testOnly(newName) ??
        (await vscode.window.showInputBox({
          title: `Rename ${target.name}`,
          value: target.name,
          validateInput: (value) => (value.trim() ? undefined : 'A name is needed.'),
        }));
      if (!name?.trim()) return;
      // The URL is the deployment's identity (and its key's), so renaming keeps both.
      await change(() =>
        editDeployments((entries) => entries.map((e) => (entryUrl(e) === target.id ? { ...(e as object), name: name.trim() } : e))),
      );
    }),
    vscode.commands.registerCommand('langgraph.setApiKey', async (node?: unknown) => {
      const target = await pickDeployment(registry, node, 'Set the API key of which deployment?');
      if (!target) return;
      await setApiKey(target, keys);
      tree.refreshDeployment(target.id);
    }),
  ];
}

async function change(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not change langgraph.deployments: ${describeError(error)}`);
  }
}

async function addDeployment(current: readonly Deployment[], preset?: { name?: string; url?: string }): Promise<void> {
  const url =
    preset?.url ??
    (await vscode.window.showInputBox({
      title: 'Add LangGraph Deployment (1/2)',
      prompt: 'The deployment URL',
      placeHolder: 'http://127.0.0.1:2024 or https://….langgraph.app',
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          normalizeUrl(value);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    }));
  if (!url) return;
  const normalized = normalizeUrl(url);
  const name =
    preset?.name ??
    (await vscode.window.showInputBox({
      title: 'Add LangGraph Deployment (2/2)',
      prompt: 'A name for it',
      value: new URL(normalized).host,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'A name is needed.'),
    }));
  if (!name) return;
  if (current.some((d) => d.id === normalized)) {
    void vscode.window.showInformationMessage(`${normalized} is already in the list.`);
    return;
  }
  await change(() => editDeployments((entries) => [...entries, { name: name.trim(), url: normalized }]));
}

async function setApiKey(target: Deployment, keys: ApiKeys): Promise<void> {
  await keys.load(target);
  const had = keys.has(target);
  const cleartext = isCleartextRemote(target.url);
  const value = await vscode.window.showInputBox({
    title: `API key for ${target.name}`,
    prompt: had
      ? `A key is set for ${target.url}. Enter a new one, or leave empty to remove it.`
      : `Sent as X-Api-Key to ${target.url} only. Kept in VS Code's secret storage.`,
    password: true,
    ignoreFocusOut: true,
    ...(cleartext ? { placeHolder: `${target.url} is plain http to another machine: the key would travel unencrypted.` } : {}),
  });
  if (value === undefined) return;
  const key = value.trim();
  if (key && cleartext) {
    const answer = await vscode.window.showWarningMessage(
      `${target.url} is plain http and not this machine: the key would be sent unencrypted, readable by anyone on the way.`,
      { modal: true, detail: 'Use the deployment\'s https URL if it has one.' },
      'Store Anyway',
    );
    if (answer !== 'Store Anyway') return;
  }
  await keys.set(target, key || undefined);
  if (key) {
    await keys.useEnvKey(target, true);
    void vscode.window.showInformationMessage(`API key saved for ${target.name}.`);
    return;
  }
  // Cleared: the environment's key is offered, not assumed.
  const env = keys.envKeyFor(target);
  if (!env) {
    void vscode.window.showInformationMessage(`API key removed for ${target.name}.`);
    return;
  }
  const use = `Use ${env.name}`;
  const answer = await vscode.window.showInformationMessage(
    `API key removed for ${target.name}. Send ${env.name} from the environment to ${target.url} instead?`,
    use,
    'No Key',
  );
  await keys.useEnvKey(target, answer === use);
}
