/**
 * `langgraph.showGraph` "Show Graph": the assistant's graph in a panel of its own. From the palette
 * (a deployment, then one of its assistants), a thread item, a thread panel's Graph button (the
 * thread's assistant), or `{deploymentUrl, assistantId}` (an assistant or a graph id). A deployment
 * that is not configured, or an assistant the deployment does not have, is said so and opens nothing.
 */
import * as vscode from 'vscode';
import type { AgentServerClient, Assistant } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { DeploymentRegistry } from '../../core/registry';
import { shortId } from '../../core/threadLabels';
import { pickDeployment } from '../commands/pick';
import { givenThread } from '../commands/threadTarget';
import { threadAssistant } from '../commands/rerunFromCheckpoint';
import { describeError, logError } from '../log';
import type { Services } from '../services';
import { assistantName, type GraphPanel } from './graphPanel';
import { continueThread } from './continueRun';
import { GraphPanels } from './graphPanels';
import { LiveGraph } from './liveGraph';

/** An assistant of a deployment, by its id or its graph id (the tree's assistant items give this). */
export interface GraphTarget {
  deploymentUrl: string;
  assistantId: string;
}

export function isGraphTarget(v: unknown): v is GraphTarget {
  const t = v as Partial<GraphTarget> | undefined;
  return typeof t === 'object' && t !== null && typeof t.deploymentUrl === 'string' && typeof t.assistantId === 'string' && t.assistantId.length > 0 && t.assistantId.length < 512;
}

const FAILED = 'Could not show the graph';

/** What Show Graph did (the extension tests read it); undefined when a pick was cancelled. */
export type ShowGraphOutcome = { ok: true; panel: GraphPanel } | { ok: false; message: string } | undefined;

export function registerShowGraph(services: Services): vscode.Disposable[] {
  const { registry } = services;
  const panels = new GraphPanels({
    extensionUri: services.context.extensionUri,
    clientFor: (d) => registry.client(d),
    find: (url) => registry.find(url),
    breakpoints: services.breakpoints,
    runEnded: services.runEnded.event,
    continueThread: (ref, step) => continueThread(services, ref, step),
  });
  const live = new LiveGraph({
    panels: () => panels.all(),
    find: (url) => registry.find(url),
    clientFor: (d) => registry.client(d),
    followed: services.runs.onDidFollow,
    runEnded: services.runEnded.event,
    unfollowed: (listener) =>
      services.runs.tracker.onDidEnd((report) => {
        if (report.outcome === 'unfollowable') listener(report);
      }),
  });
  const command = vscode.commands.registerCommand('langgraph.showGraph', async (arg?: unknown): Promise<ShowGraphOutcome> => {
    const found = await assistantFor(registry, arg);
    if (!found) return undefined;
    if ('error' in found) {
      const message = `${FAILED}: ${found.error}`;
      void vscode.window.showErrorMessage(message);
      return { ok: false, message };
    }
    const panel = panels.open(found.deployment, found.assistant);
    const thread = givenThread(arg);
    // From a thread: the path of its last run (unless a run of the assistant is live), and where it
    // stopped at a breakpoint, if it did.
    live.attach(panel, thread);
    if (thread) void panels.markIfStopped(thread);
    return { ok: true, panel };
  });
  // A dev server reloaded new code: its open graph panels read their graph again.
  const reloaded = services.devServers.onDidReload((e) => panels.all().forEach((p) => p.deployment.id === e.deploymentUrl && void p.load()));
  return [panels, live, command, reloaded];
}

type Found = { deployment: Deployment; assistant: Assistant } | { error: string } | undefined;

async function assistantFor(registry: DeploymentRegistry, arg: unknown): Promise<Found> {
  const ref = givenThread(arg);
  const thread = ref && { url: ref.deploymentUrl, threadId: ref.threadId };
  const named = isGraphTarget(arg) ? { url: arg.deploymentUrl, assistantId: arg.assistantId } : undefined;
  if (thread || named) {
    const url = (thread ?? named)!.url;
    const deployment = registry.find(url);
    if (!deployment) return { error: `${url} is not a configured deployment.` };
    return attempt(deployment, registry, async (client) => {
      const id = named ? named.assistantId : await threadAssistant(client, thread!.threadId);
      if (!id) return { error: `thread ${shortId(thread!.threadId)} does not say which assistant runs it (no assistant_id or graph_id in its metadata).` };
      const assistant = await client.assistants.resolve(id);
      return assistant ? { deployment, assistant } : { error: `${deployment.name} has no assistant or graph "${id}".` };
    });
  }
  const deployment = await pickDeployment(registry, arg, 'Show Graph: which deployment?');
  if (!deployment) return undefined;
  return attempt(deployment, registry, async (client) => {
    const assistant = await pickAssistant(client, deployment);
    return assistant ? { deployment, assistant } : undefined;
  });
}

async function attempt(deployment: Deployment, registry: DeploymentRegistry, work: (client: AgentServerClient) => Promise<Found>): Promise<Found> {
  try {
    return await work(await registry.client(deployment));
  } catch (error) {
    logError(`${FAILED} (${deployment.name})`, error);
    return { error: describeError(error) };
  }
}

/** One of the deployment's assistants: the list shows at once, busy, and fills in when read. */
async function pickAssistant(client: AgentServerClient, deployment: Deployment): Promise<Assistant | undefined> {
  type Item = vscode.QuickPickItem & { assistant?: Assistant };
  const items = client.assistants.search({ limit: 100 }).then(
    (page): Item[] =>
      page.items.length
        ? page.items.map((a) => ({ label: assistantName(a), description: assistantName(a) === a.graph_id ? undefined : `graph ${a.graph_id}`, detail: a.assistant_id, assistant: a }))
        : [{ label: `${deployment.name} has no assistants: is a graph deployed there?` }],
    (error: unknown): Item[] => [{ label: `Could not list the assistants of ${deployment.name}: ${describeError(error)}` }],
  );
  const picked = await vscode.window.showQuickPick(items, { title: `Show Graph — ${deployment.name}`, placeHolder: 'Which assistant?', matchOnDescription: true, matchOnDetail: true });
  return picked?.assistant;
}
