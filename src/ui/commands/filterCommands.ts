/** Filter the threads of every deployment by status and metadata, from the view's title bar. */
import * as vscode from 'vscode';
import { THREAD_STATUSES } from '../../api';
import { describeFilter, isFiltered, NO_FILTER, parseMetadataPair, type ThreadFilter } from '../../core/threadFilter';
import type { DeploymentsTree } from '../tree/provider';

const CONTEXT_KEY = 'langgraph.threadsFiltered';

/**
 * `langgraph.filterThreads` takes an optional filter for scripts and tests
 * ({status?, metadata?}); without one it asks.
 */
export function registerFilterCommands(tree: DeploymentsTree, view: vscode.TreeView<unknown>): vscode.Disposable[] {
  const show = (filter: ThreadFilter): void => {
    view.description = isFiltered(filter) ? `Filtered: ${describeFilter(filter)}` : undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, isFiltered(filter));
  };
  show(tree.filter);
  return [
    tree.onDidChangeFilter(show),
    vscode.commands.registerCommand('langgraph.filterThreads', async (given?: Partial<ThreadFilter>) => {
      const next = given ? { status: given.status, metadata: given.metadata ?? {} } : await askFilter(tree.filter);
      if (next) tree.setFilter(next);
      return next;
    }),
    vscode.commands.registerCommand('langgraph.clearThreadFilter', () => tree.setFilter(NO_FILTER)),
  ];
}

type Choice = vscode.QuickPickItem & { apply: (f: ThreadFilter) => ThreadFilter | Promise<ThreadFilter | undefined> };

async function askFilter(current: ThreadFilter): Promise<ThreadFilter | undefined> {
  const choices: Choice[] = [
    { label: 'Status', kind: vscode.QuickPickItemKind.Separator, apply: (f) => f },
    ...THREAD_STATUSES.map((status) => ({
      label: `$(filter) ${status}`,
      description: current.status === status ? 'current' : undefined,
      apply: (f: ThreadFilter) => ({ ...f, status }),
    })),
    { label: '$(circle-slash) Any status', apply: (f) => ({ metadata: f.metadata }) },
    { label: 'Metadata', kind: vscode.QuickPickItemKind.Separator, apply: (f) => f },
    { label: '$(add) Metadata key=value…', apply: askMetadata },
    ...Object.keys(current.metadata).map((key) => ({
      label: `$(close) Remove ${key}=${JSON.stringify(current.metadata[key])}`,
      apply: (f: ThreadFilter) => {
        const { [key]: _removed, ...rest } = f.metadata;
        return { ...f, metadata: rest };
      },
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator, apply: (f) => f },
    { label: '$(clear-all) Clear all filters', apply: () => NO_FILTER },
  ];
  const picked = await vscode.window.showQuickPick(choices, {
    title: 'Filter Threads',
    placeHolder: isFiltered(current) ? `Now: ${describeFilter(current)}` : 'Show only threads with…',
  });
  return picked ? picked.apply(current) : undefined;
}

async function askMetadata(current: ThreadFilter): Promise<ThreadFilter | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Filter Threads by Metadata',
    prompt: 'key=value (numbers, true/false and "quoted" strings are matched as JSON)',
    placeHolder: 'owner=alice',
    validateInput: (value) => {
      const parsed = parseMetadataPair(value);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (!text) return undefined;
  const parsed = parseMetadataPair(text);
  return 'error' in parsed ? undefined : { ...current, metadata: { ...current.metadata, [parsed.key]: parsed.value } };
}
