/**
 * The questions a run from a file may ask: which file, which assistant, which thread. Lists that
 * come from the server show at once, busy, and fill in when the answer arrives.
 */
import * as vscode from 'vscode';
import type { AgentServerClient, Assistant } from '../../api';
import type { Deployment } from '../../core/deployments';
import { recentThreadItems } from '../commands/pick';
import { describeError } from '../log';
import { SECTION } from '../settings';

const RECENT_THREADS = 20;

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/** The assistant for files that name none; `langgraph.defaultAssistant` comes first. */
export async function pickAssistant(client: AgentServerClient, deployment: Deployment): Promise<string | undefined> {
  const preferred = vscode.workspace.getConfiguration(SECTION).get<string>('defaultAssistant', 'agent');
  return pickFrom<string>(
    { title: `Run on which assistant of ${deployment.name}?`, placeholder: 'Assistant (or graph)', failure: `Could not list the assistants of ${deployment.name}` },
    async () => {
      // The setting names an assistant or a graph: resolved like a run file's assistant_id, and
      // first even when it is not on the first page. Not resolved: the list, as it is.
      const [page, chosen] = await Promise.all([client.assistants.search({ limit: 100 }), preferred ? client.assistants.resolve(preferred).catch(() => undefined) : undefined]);
      if (page.items.length === 0) throw new Error(`${deployment.name} has no assistants: is a graph deployed there?`);
      const isDefault = (a: Assistant) => a.assistant_id === chosen?.assistant_id;
      const others = page.items.filter((a) => !isDefault(a));
      const sorted = chosen ? [chosen, ...others] : others;
      return sorted.map((a) => ({
        label: a.name && a.name !== a.graph_id ? a.name : a.graph_id,
        description: [a.name && a.name !== a.graph_id ? `graph ${a.graph_id}` : undefined, isDefault(a) ? 'default' : undefined].filter(Boolean).join(' · '),
        detail: a.assistant_id,
        value: a.assistant_id,
      }));
    },
  );
}

/** "new", or a recent thread of the deployment. */
export async function pickThread(client: AgentServerClient, deployment: Deployment): Promise<string | undefined> {
  return pickFrom<string>({ title: `Run on which thread of ${deployment.name}?`, placeholder: 'Thread', failure: `Could not list the threads of ${deployment.name}` }, async () => {
    const fresh: Choice<string> = { label: '$(add) New thread', description: 'a thread of its own', value: 'new' };
    const recent = await recentThreadItems(client, RECENT_THREADS);
    return [fresh, ...recent.map(({ threadId, ...item }) => ({ ...item, value: threadId }))];
  }, () => [{ label: '$(add) New thread', description: 'a thread of its own', value: 'new' }]);
}

/** The files to run from the palette when no JSON editor is active. */
export async function pickRunFiles(): Promise<vscode.Uri[]> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Create Run from JSON File',
    openLabel: 'Run',
    canSelectMany: true,
    filters: { JSON: ['json', 'jsonc'] },
  });
  return picked ?? [];
}

/** For a thread item: an open JSON editor, or a file from disk. */
export async function pickFileForThread(threadLabelText: string): Promise<vscode.Uri | undefined> {
  const open = openJsonDocuments();
  if (open.length === 0) return (await pickRunFiles())[0];
  const browse: Choice<vscode.Uri | undefined> = { label: '$(folder-opened) Choose a file…', value: undefined };
  const picked = await vscode.window.showQuickPick<Choice<vscode.Uri | undefined>>(
    [
      ...open.map((uri) => ({ label: uri.path.split('/').pop() ?? uri.toString(), description: vscode.workspace.asRelativePath(uri), value: uri })),
      browse,
    ],
    { title: `Run which file on ${threadLabelText}?`, placeHolder: 'An open JSON file, or choose one' },
  );
  if (!picked) return undefined;
  return picked.value ?? (await pickRunFiles())[0];
}

/** JSON files open in editor tabs, the active one first. */
function openJsonDocuments(): vscode.Uri[] {
  const seen = new Set<string>();
  const uris: vscode.Uri[] = [];
  const active = vscode.window.activeTextEditor?.document.uri;
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.input);
  const candidates = [active, ...tabs.map((i) => (i instanceof vscode.TabInputText ? i.uri : undefined))];
  for (const uri of candidates) {
    if (!uri || seen.has(uri.toString())) continue;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const isJson = document ? ['json', 'jsonc'].includes(document.languageId) : /\.jsonc?$/i.test(uri.path);
    if (!isJson) continue;
    seen.add(uri.toString());
    uris.push(uri);
  }
  return uris;
}

/**
 * A quick pick shown at once, busy while `load` runs. The first item is active, so the preferred
 * one goes first. A failed load closes the pick and says why; `fallback` items (if any) are then
 * offered instead.
 */
async function pickFrom<T>(
  labels: { title: string; placeholder: string; failure: string },
  load: () => Promise<Choice<T>[]>,
  fallback?: () => Choice<T>[],
): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<Choice<T>>();
  pick.title = labels.title;
  pick.placeholder = labels.placeholder;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  pick.ignoreFocusOut = true;
  return new Promise<T | undefined>((resolve) => {
    let settled = false;
    const finish = (value: T | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.value ?? pick.activeItems[0]?.value));
    pick.onDidHide(() => finish(undefined));
    pick.show();
    load().then(
      (items) => {
        pick.items = items;
        pick.busy = false;
      },
      (error: unknown) => {
        const items = fallback?.() ?? [];
        if (items.length > 0) {
          pick.items = items;
          pick.busy = false;
          pick.placeholder = `${labels.placeholder} (the list could not be loaded: ${describeError(error)})`;
          return;
        }
        void vscode.window.showErrorMessage(`${labels.failure}: ${describeError(error)}`);
        finish(undefined);
      },
    );
  });
}
