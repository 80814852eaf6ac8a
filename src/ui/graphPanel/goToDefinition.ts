/**
 * `langgraph.goToNodeDefinition` {deploymentUrl, assistantId | graphId, node}: opens the place in
 * the graph's source that adds the node (src/core/graph/nodeSource.ts), where the workspace holds
 * the deployment's `langgraph.json`. Which project is the deployment's: the one whose dev server
 * the deployment is; else the one whose graph ids include every graph the deployment serves (one
 * with exactly those graphs first). What was searched is said when nothing is found.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentServerClient } from '../../api';
import type { Deployment } from '../../core/deployments';
import type { Project } from '../../core/devServer/project';
import { findNodeSource, type NodeLocation } from '../../core/graph/nodeSource';
import { PROJECT_EXCLUDES } from '../devServer/projects';
import { describeError, logError } from '../log';
import { isRecord } from '../../shared/isRecord';
import type { Services } from '../services';

export interface GoToDefinitionArgs {
  deploymentUrl: string;
  /** An assistant id or a graph id. */
  assistantId?: string;
  graphId?: string;
  /** The node's id as the server names it (`research:gather` inside a subgraph). */
  node: string;
}

/** What the command did (the extension tests read it). */
export type GoToDefinitionOutcome = { ok: true; location: NodeLocation; others: NodeLocation[] } | { ok: false; message: string };

const SOURCE_GLOB = { js: '**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx}', python: '**/*.py' } as const;
/** Files read at most when a subgraph is looked for across the project. */
const MAX_PROJECT_FILES = 300;

export function registerGoToDefinition(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('langgraph.goToNodeDefinition', async (arg?: unknown): Promise<GoToDefinitionOutcome> => {
    const outcome = await goToDefinition(services, arg).catch((error: unknown): GoToDefinitionOutcome => {
      logError('Go to Definition', error);
      return { ok: false, message: `Go to Definition failed: ${describeError(error)}` };
    });
    if (!outcome.ok) void vscode.window.showWarningMessage(outcome.message);
    return outcome;
  });
}

function parseArgs(arg: unknown): GoToDefinitionArgs | string {
  const a = isRecord(arg) ? arg : {};
  const short = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length < 512;
  if (!short(a.deploymentUrl)) return 'Go to Definition needs a deployment URL.';
  if (!short(a.node)) return 'Go to Definition needs a node.';
  if (!short(a.assistantId) && !short(a.graphId)) return 'Go to Definition needs an assistant or a graph id.';
  return {
    deploymentUrl: a.deploymentUrl as string,
    node: a.node as string,
    ...(short(a.assistantId) ? { assistantId: a.assistantId as string } : {}),
    ...(short(a.graphId) ? { graphId: a.graphId as string } : {}),
  };
}

async function goToDefinition(services: Services, arg: unknown): Promise<GoToDefinitionOutcome> {
  const args = parseArgs(arg);
  if (typeof args === 'string') return { ok: false, message: args };
  const { registry, devServers } = services;
  const deployment = registry.find(args.deploymentUrl);
  if (!deployment) return { ok: false, message: `Go to Definition: ${args.deploymentUrl} is not a configured deployment.` };
  const client = await registry.client(deployment);
  let graphId = args.graphId;
  if (!graphId) {
    const assistant = await client.assistants.resolve(args.assistantId!);
    if (!assistant) return { ok: false, message: `Go to Definition: ${deployment.name} has no assistant or graph "${args.assistantId}".` };
    graphId = assistant.graph_id;
  }
  const projects = await devServers.projects.list();
  const project = projects.find((p) => devServers.running(p)?.url === deployment.url) ?? (await configuredProject(client, projects, graphId));
  if (!project) return { ok: false, message: noProject(deployment, graphId, projects) };
  const graph = project.graphs.find((g) => g.id === graphId)!;
  const colon = graph.spec.lastIndexOf(':');
  const exportName = colon > 1 ? graph.spec.slice(colon + 1) : '';
  const show = (file: string) => path.relative(project.folder, file) || file;
  const result = await findNodeSource({
    file: graph.file,
    exportName,
    node: args.node,
    language: project.language,
    show,
    read: async (file) => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
      } catch {
        return undefined;
      }
    },
    projectFiles: async () =>
      (await vscode.workspace.findFiles(new vscode.RelativePattern(project.folder, SOURCE_GLOB[project.language]), PROJECT_EXCLUDES, MAX_PROJECT_FILES)).map((u) => u.fsPath),
  });
  if (!result.ok) return { ok: false, message: `Go to Definition (${project.name}/langgraph.json, graph "${graphId}"): ${result.message}` };
  const { location, others } = result;
  const range = new vscode.Range(location.line, location.character, location.endLine, location.endCharacter);
  await vscode.window.showTextDocument(vscode.Uri.file(location.file), { selection: range, preview: true });
  if (others.length) {
    const where = others.map((o) => `${show(o.file)}:${o.line + 1}`).join(', ');
    void vscode.window.showInformationMessage(`Node "${args.node}" is ambiguous: ${show(location.file)}:${location.line + 1} opened; also added at ${where}.`);
  }
  return { ok: true, location, others };
}

/**
 * A configured deployment's project: one that has the graph and every graph the deployment
 * serves; one with exactly those graphs wins over one with more.
 */
async function configuredProject(client: AgentServerClient, projects: Project[], graphId: string): Promise<Project | undefined> {
  const withGraph = projects.filter((p) => p.graphs.some((g) => g.id === graphId));
  if (withGraph.length === 0) return undefined;
  const served = new Set((await client.assistants.all()).items.map((a) => a.graph_id));
  const covering = withGraph.filter((p) => [...served].every((id) => p.graphs.some((g) => g.id === id)));
  return covering.find((p) => p.graphs.length === served.size) ?? covering[0];
}

function noProject(deployment: Deployment, graphId: string, projects: Project[]): string {
  const looked = projects.length ? `${projects.length} langgraph.json file${projects.length === 1 ? '' : 's'} of the workspace (${projects.map((p) => p.name).join(', ')})` : 'no langgraph.json in the workspace';
  return `Go to Definition: no project of the workspace is ${deployment.name}'s: searched ${looked} for a dev server at ${deployment.url}, or a langgraph.json with graph "${graphId}" and every other graph the deployment serves.`;
}
