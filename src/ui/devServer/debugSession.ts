/**
 * Debug Dev Server: starts the project's server with its debugger listening (a running one without
 * it is restarted), then attaches VS Code's debugger with a generated configuration: js-debug's
 * `node` attach (built into VS Code), or debugpy's when the Python Debugger extension is there.
 * A JS reload starts a new server process, which ends the session: it is attached again once the
 * new process's inspector is open, unless the user had stopped debugging before the reload.
 */
import * as vscode from 'vscode';
import { attachName, inspectorTargets, nodeAttach, pythonAttach, type AttachConfiguration } from '../../core/devServer/debug';
import type { Project } from '../../core/devServer/project';
import type { DevServers, StartOptions, StartOutcome } from './devServers';

export const PYTHON_DEBUGGER = 'ms-python.debugpy';

export type DebugOutcome = StartOutcome & {
  configuration?: AttachConfiguration;
  /** True when VS Code's debugger started the attach session. */
  attached?: boolean;
};

export class DevServerDebugging implements vscode.Disposable {
  /** The JS projects attached to (by session name), with when that session started. */
  private readonly attached = new Map<string, { project: Project; url: string; since: number }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly devServers: DevServers) {
    this.subscriptions = [
      devServers.onDidReload((e) => void this.reattach(e.project)),
      vscode.debug.onDidTerminateDebugSession((session) => {
        const entry = this.attached.get(session.name);
        // Ended by a reload (its process was replaced): kept. Ended by the user: forgotten.
        if (entry && !((devServers.reloads.at(entry.url) ?? 0) > entry.since)) this.attached.delete(session.name);
      }),
    ];
  }

  async debug(project: Project, options: StartOptions = {}): Promise<DebugOutcome> {
    if (this.devServers.state(project).kind !== 'stopped' && this.devServers.debugPort(project) === undefined) await this.devServers.stop(project);
    const started: DebugOutcome = await this.devServers.start(project, options, true);
    const port = started.debugPort;
    if ((started.status !== 'running' && started.status !== 'already-running') || port === undefined || !started.url) return started;
    if (project.language === 'python' && !vscode.extensions.getExtension(PYTHON_DEBUGGER)) {
      const configuration = pythonAttach(project, port);
      const message = `The dev server of ${project.name} waits for a debugger on 127.0.0.1:${port}. Install the Python Debugger extension (${PYTHON_DEBUGGER}) to attach from VS Code.`;
      void vscode.window.showInformationMessage(message, 'Show Extension').then((picked) => {
        if (picked) void vscode.commands.executeCommand('workbench.extensions.search', PYTHON_DEBUGGER);
      });
      return { ...started, message, configuration, attached: false };
    }
    const configuration = await this.configuration(project, port);
    const attached = configuration ? await this.attach(project, started.url, configuration) : false;
    const message = attached
      ? `Debugging the dev server of ${project.name} (port ${port}).`
      : `The dev server of ${project.name} runs with its debugger on 127.0.0.1:${port}, but VS Code's debugger did not attach.`;
    if (!attached) void vscode.window.showWarningMessage(message);
    return { ...started, message, configuration, attached };
  }

  /** JS: the server process's target now (its WebSocket changes with every process). */
  private async configuration(project: Project, port: number): Promise<AttachConfiguration | undefined> {
    if (project.language === 'python') return pythonAttach(project, port);
    const target = (await inspectorTargets(port))[0];
    return target ? nodeAttach(project, target.webSocketDebuggerUrl) : undefined;
  }

  private async attach(project: Project, url: string, configuration: AttachConfiguration): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(project.configFile));
    if (project.language === 'js') this.attached.set(configuration.name, { project, url, since: Date.now() });
    const ok = await vscode.debug.startDebugging(folder, configuration);
    if (!ok) this.attached.delete(configuration.name);
    return ok;
  }

  private async reattach(project: Project): Promise<void> {
    const port = this.devServers.debugPort(project);
    const url = this.devServers.running(project)?.url;
    if (project.language !== 'js' || port === undefined || !url) return;
    if (!this.attached.has(attachName(project))) return;
    const configuration = await this.configuration(project, port);
    if (configuration) await this.attach(project, url, configuration);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
