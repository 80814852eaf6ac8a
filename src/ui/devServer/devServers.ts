/**
 * The workspace's dev servers: Start finds the project's CLI, spawns it on a free loopback port in
 * a process group of its own, shows it as a task, waits for `/ok` under a progress notification and
 * connects it as a transient deployment (registry.setTransient, never written to settings) while
 * it runs. Stop, the task's end, the terminal's close and the extension's end stop the whole group.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { devServerCommand, devServerEnv, fatalOutput, missingCliMessage, NPX_MISSING } from '../../core/devServer/cli';
import { debugLaunch, debugpyMissingMessage, hasDebugpy, interpreterOf, openJsInspector } from '../../core/devServer/debug';
import { DevServerProcess } from '../../core/devServer/processGroup';
import type { Project } from '../../core/devServer/project';
import { freeLoopbackPort, READY_TIMEOUT_MS, waitForReady, type ReadyResult } from '../../core/devServer/ready';
import { ReloadDetector } from '../../core/devServer/reload';
import type { Deployment } from '../../core/deployments';
import type { DeploymentRegistry } from '../../core/registry';
import { log } from '../log';
import type { TreeNode } from '../tree/node';
import { revealLog, runAsTask } from './devServerTask';
import { ProjectNode, type ProjectState } from './projectNodes';
import { WorkspaceProjects } from './projects';
import { reloadTimes } from './reloads';

/** Test-only answers (see testMode.ts): a fixed port, another PATH, a shorter wait. */
export interface StartOptions {
  port?: number;
  pathVariable?: string;
  timeoutMs?: number;
  /** Debug Dev Server: the debugger's port (a free one by default). */
  debugPort?: number;
}

export type StartStatus = 'running' | 'already-running' | 'invalid' | 'no-cli' | 'no-debugger' | 'crashed' | 'timeout' | 'cancelled';

/** What Start did; `message` is what the user was shown, word for word. */
export interface StartOutcome {
  status: StartStatus;
  message: string;
  url?: string;
  /** The process group's id (the CLI's PID). */
  pid?: number;
  /** Started for debugging: the port its debugger listens on. */
  debugPort?: number;
}

interface Running {
  project: Project;
  proc: DevServerProcess;
  port: number;
  url: string;
  ready: boolean;
  stopping: boolean;
  debugPort?: number;
  execution?: vscode.TaskExecution;
}

const MESSAGE_LINES = 12;
/** How long a reloaded server may take to answer /ok again before the reload is reported anyway. */
const RELOAD_READY_MS = 60_000;

/** A running dev server reloaded its code and answers again. */
export interface DevServerReload {
  deploymentUrl: string;
  project: Project;
  /** When the reload began (its log's line came), ms since the epoch. */
  at: number;
  /** The changed files as the log names them ('' when it does not). */
  files: string;
}

export class DevServers implements vscode.Disposable {
  readonly projects = new WorkspaceProjects();
  private readonly servers = new Map<string, Running>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when a project's state (stopped, starting, running) or the list of projects changed. */
  readonly onDidChange = this.emitter.event;
  private readonly reloadEmitter = new vscode.EventEmitter<DevServerReload>();
  /** Fires when a running server reloaded after a code change and answers /ok again. */
  readonly onDidReload = this.reloadEmitter.event;
  /** The last reload per deployment (what "re-run from here" asks about). */
  readonly reloads = reloadTimes;

  constructor(private readonly registry: DeploymentRegistry) {
    this.projects.onDidChange(() => this.emitter.fire());
  }

  /** The project items for the Deployments view. */
  async nodes(): Promise<TreeNode[]> {
    return (await this.projects.list()).map((p) => new ProjectNode(p, this.state(p)));
  }

  state(project: Project): ProjectState {
    const s = this.servers.get(project.configFile);
    if (!s) return { kind: 'stopped' };
    return s.ready ? { kind: 'running', port: s.port, url: s.url } : { kind: 'starting' };
  }

  /** The running server's URL and process group, if it runs. */
  running(project: Project): { url: string; pid: number | undefined } | undefined {
    const s = this.servers.get(project.configFile);
    return s?.ready ? { url: s.url, pid: s.proc.pid } : undefined;
  }

  /** Started for debugging: the debugger's port, else undefined. */
  debugPort(project: Project): number | undefined {
    return this.servers.get(project.configFile)?.debugPort;
  }

  /** `debug`: with its debugger listening (Debug Dev Server). */
  async start(given: Project, options: StartOptions = {}, debug = false): Promise<StartOutcome> {
    if (this.servers.has(given.configFile)) {
      const s = this.servers.get(given.configFile)!;
      const how = s.ready ? `running at ${s.url}` : 'starting';
      return this.say('info', { status: 'already-running', message: `The dev server of ${given.name} is already ${how}.`, url: s.url, debugPort: s.debugPort });
    }
    const project = await this.projects.reread(given);
    if (project.problems.length) {
      const p = project.problems[0]!;
      const more = project.problems.length > 1 ? ` (and ${project.problems.length - 1} more problem(s))` : '';
      return this.say('error', { status: 'invalid', message: `Cannot start the dev server of ${project.name}: langgraph.json line ${p.line + 1}: ${p.message}${more}` }, [
        { title: 'Open langgraph.json', run: () => void openAt(project) },
      ]);
    }
    const port = options.port ?? (await freeLoopbackPort());
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(project.configFile))?.uri.fsPath;
    const command = devServerCommand(project, port, {
      workspaceFolder,
      pythonInterpreter: project.language === 'python' ? await pythonInterpreter(project) : undefined,
      pathVariable: options.pathVariable,
      isFile,
    });
    if (!command) return this.say('error', { status: 'no-cli', message: missingCliMessage(project) });
    let debugPort: number | undefined;
    let launch = command;
    const env = devServerEnv(options.pathVariable === undefined ? process.env : { ...process.env, PATH: options.pathVariable });
    if (debug) {
      const python = project.language === 'python' ? interpreterOf(command) : undefined;
      if (python && !(await hasDebugpy(python))) return this.say('error', { status: 'no-debugger', message: debugpyMissingMessage(project, python) });
      debugPort = options.debugPort ?? (await otherFreePort(port));
      const extra = debugLaunch(project.language, debugPort);
      launch = { ...command, args: [...command.args, ...extra.args], display: [command.display, ...extra.args].join(' ') };
      Object.assign(env, extra.env);
    }

    const proc = new DevServerProcess(launch, env);
    const url = `http://127.0.0.1:${port}`;
    const server: Running = { project, proc, port, url, ready: false, stopping: false, debugPort };
    this.servers.set(project.configFile, server);
    this.emitter.fire();
    log().info(`Dev server of ${project.name}: ${launch.display}${debugPort ? ` (debugger on port ${debugPort})` : ''} (pid ${proc.pid ?? 'none'})`);
    let fatal: string | undefined;
    let npxMissing = false;
    const fatalLine = fatalOutput(project.language);
    const reloads = new ReloadDetector(project.language);
    proc.onLine((line) => {
      if (!server.ready && !fatal && fatalLine.test(line)) fatal = line.trim();
      if (NPX_MISSING.test(line)) npxMissing = true;
      const step = server.ready ? reloads.line(line) : undefined;
      if (step?.kind === 'reloading') {
        this.reloads.record(url, step.at);
        log().info(`Dev server of ${project.name}: reloading (${step.files || 'code changed'})`);
      } else if (step?.kind === 'reloaded') void this.reloaded(server, step.startedAt, step.files);
    });
    proc.onExit((exit) => {
      if (server.ready && !server.stopping) void this.ended(server, exit.code, exit.signal);
    });
    try {
      server.execution = await runAsTask(project, proc);
    } catch (e) {
      log().warn(`Dev server of ${project.name}: not shown as a task: ${String(e)}`);
    }

    const failure = (): ReadyResult | undefined => {
      const exit = proc.exit;
      if (exit) return { kind: 'exited', detail: exit.error ? `could not be started (${exit.error})` : exit.signal ? `ended (${exit.signal})` : `ended (exit code ${exit.code})` };
      return fatal ? { kind: 'crashed', line: fatal } : undefined;
    };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting the dev server of ${project.name} on port ${port}…`, cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          return await waitForReady({ url, failure, signal: controller.signal, timeoutMs: options.timeoutMs ?? READY_TIMEOUT_MS });
        } finally {
          sub.dispose();
        }
      },
    );
    if (result.kind === 'ready' && this.servers.get(project.configFile) === server && !server.stopping) {
      server.ready = true;
      this.syncDeployments();
      const inspector = debugPort && project.language === 'js' ? await this.openInspector(server) : true;
      const debugging = debugPort ? (inspector ? `, its debugger on port ${debugPort}` : `; its Node inspector did not open on port ${debugPort}`) : '';
      const message = `The dev server of ${project.name} is running at ${url}${debugging} (listed as "${deploymentName(project)}").`;
      return this.say(inspector ? 'info' : 'error', { status: 'running', message, url, pid: proc.pid, debugPort });
    }

    const stoppedMeanwhile = server.stopping; // Stop Dev Server while it was starting
    server.stopping = true;
    await proc.stop();
    this.forget(server);
    const last = lastLines(proc);
    if (stoppedMeanwhile) return this.say('info', { status: 'cancelled', message: `The dev server of ${project.name} was stopped before it answered.`, pid: proc.pid });
    const showLog = [{ title: 'Show Log', run: () => revealLog(project) }];
    switch (result.kind) {
      case 'cancelled':
      case 'ready':
        return this.say('info', { status: 'cancelled', message: `The dev server of ${project.name} was not started (cancelled).` });
      case 'timeout':
        return this.say('error', {
          status: 'timeout',
          message: `The dev server of ${project.name} did not answer ${url}/ok within ${Math.round((options.timeoutMs ?? READY_TIMEOUT_MS) / 1000)} s and was stopped. Its last lines:\n${last}`,
          pid: proc.pid,
        }, showLog);
      case 'crashed':
      case 'exited': {
        if (npxMissing) return this.say('error', { status: 'no-cli', message: missingCliMessage(project), pid: proc.pid });
        const why = result.kind === 'crashed' ? (/EADDRINUSE|already in use|Errno 98/.test(result.line) ? `port ${port} is taken` : 'it crashed') : `it ${result.detail}`;
        return this.say('error', { status: 'crashed', message: `The dev server of ${project.name} did not start: ${why}. Its last lines:\n${last}`, pid: proc.pid }, showLog);
      }
    }
  }

  async stop(project: Project): Promise<{ status: 'stopped' | 'not-running'; message: string }> {
    const server = this.servers.get(project.configFile);
    if (!server) return this.say('info', { status: 'not-running', message: `The dev server of ${project.name} is not running.` });
    server.stopping = true;
    await server.proc.stop();
    this.forget(server);
    return this.say('info', { status: 'stopped', message: `The dev server of ${project.name} stopped.` });
  }

  /** Waits for /ok after a reload, then tells the listeners (the tree, graph panels, schema cache). */
  private async reloaded(server: Running, at: number, files: string): Promise<void> {
    const controller = new AbortController();
    const failure = (): ReadyResult | undefined => (server.proc.exit || server.stopping ? { kind: 'cancelled' } : undefined);
    const result = await waitForReady({ url: server.url, failure, signal: controller.signal, timeoutMs: RELOAD_READY_MS });
    if (result.kind === 'cancelled' || this.servers.get(server.project.configFile) !== server) return;
    if (server.debugPort && server.project.language === 'js') await this.openInspector(server); // tsx started a new server process
    log().info(`Dev server of ${server.project.name}: reloaded${result.kind === 'ready' ? '' : ' (it did not answer /ok yet)'}`);
    this.reloadEmitter.fire({ deploymentUrl: server.url, project: server.project, at, files });
  }

  /** JS under Debug: opens the server process's inspector (again after a reload). */
  private async openInspector(server: Running): Promise<boolean> {
    const opened = server.proc.pid !== undefined && (await openJsInspector(server.proc.pid, server.debugPort!));
    if (!opened) log().warn(`Dev server of ${server.project.name}: its Node inspector did not answer on port ${server.debugPort}`);
    return opened;
  }

  /** The process ended by itself while connected. */
  private async ended(server: Running, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    server.stopping = true;
    await server.proc.stop();
    this.forget(server);
    const how = signal ? `was ended (${signal})` : code === 0 ? 'ended' : `crashed (exit code ${code})`;
    this.say('error', { status: 'crashed', message: `The dev server of ${server.project.name} ${how}; ${deploymentName(server.project)} was removed. Its last lines:\n${lastLines(server.proc)}` }, [
      { title: 'Show Log', run: () => revealLog(server.project) },
    ]);
  }

  private forget(server: Running): void {
    if (this.servers.get(server.project.configFile) !== server) return;
    this.servers.delete(server.project.configFile);
    this.reloads.forget(server.url);
    this.syncDeployments();
    this.emitter.fire();
  }

  private syncDeployments(): void {
    const list: Deployment[] = [...this.servers.values()].filter((s) => s.ready).map((s) => ({ id: s.url, url: s.url, name: deploymentName(s.project) }));
    this.registry.setTransient(list);
    this.emitter.fire();
  }

  private say<const T extends { message: string }>(level: 'info' | 'error', outcome: T, actions: { title: string; run: () => void }[] = []): T {
    const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
    (level === 'error' ? log().warn : log().info).call(log(), outcome.message);
    void show(outcome.message, ...actions.map((a) => a.title)).then((picked) => actions.find((a) => a.title === picked)?.run());
    return outcome;
  }

  /** The window closes or the extension stops: every group gets SIGTERM now, SIGKILL in 5 s (or at exit). */
  dispose(): void {
    for (const s of this.servers.values()) {
      s.stopping = true;
      s.proc.stopSoon();
    }
    this.servers.clear();
    this.registry.setTransient([]);
    this.projects.dispose();
    this.emitter.dispose();
    this.reloadEmitter.dispose();
  }
}

export function deploymentName(project: Project): string {
  return `${project.name} (dev server)`;
}

/** A free port other than `taken` (the server's, not listening yet). */
async function otherFreePort(taken: number): Promise<number> {
  for (;;) {
    const port = await freeLoopbackPort();
    if (port !== taken) return port;
  }
}

function lastLines(proc: DevServerProcess): string {
  const lines = proc.tail(MESSAGE_LINES).map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l));
  return lines.length ? lines.join('\n') : '(no output)';
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function openAt(project: Project): Promise<void> {
  const p = project.problems[0];
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(project.configFile));
  await vscode.window.showTextDocument(doc, p ? { selection: new vscode.Range(p.line, p.character, p.endLine, p.endCharacter) } : {});
}

/** The interpreter the Python extension chose for the project's folder, if it is installed (3 s at most). */
async function pythonInterpreter(project: Project): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<{ environments?: { getActiveEnvironmentPath?(resource?: vscode.Uri): { path?: unknown } } }>('ms-python.python');
  if (!extension) return undefined;
  const ask = (async () => {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const found = api?.environments?.getActiveEnvironmentPath?.(vscode.Uri.file(project.folder))?.path;
    return typeof found === 'string' ? found : undefined;
  })().catch(() => undefined);
  return Promise.race([ask, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3_000))]);
}
