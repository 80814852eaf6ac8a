/**
 * A dev server as a VS Code task: a CustomExecution whose Pseudoterminal shows the process's
 * output. The process is spawned by the extension (core/devServer/processGroup.ts) in its own
 * process group; closing the terminal or ending the task stops the whole group.
 */
import * as vscode from 'vscode';
import type { Project } from '../../core/devServer/project';
import type { DevServerProcess } from '../../core/devServer/processGroup';

export const TASK_TYPE = 'langgraph-dev';

/** The task's name, which its terminal shows. */
export function taskName(project: Project): string {
  return `langgraph dev: ${project.name}`;
}

class DevServerTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private opened = false;
  private buffered: string[] = [];
  private closed = false;

  constructor(private readonly proc: DevServerProcess) {
    this.buffered.push(`\x1b[2m> ${proc.command.display}\x1b[0m\r\n`);
    proc.onOutput((chunk) => this.write(chunk.replace(/\r?\n/g, '\r\n')));
    proc.onExit((exit) => {
      const how = exit.error ? `could not start: ${exit.error}` : exit.signal ? `ended (${exit.signal})` : `ended (exit code ${exit.code})`;
      this.write(`\r\n\x1b[2mThe dev server ${how}.\x1b[0m\r\n`);
      // The group may outlive the CLI for a moment: the task ends once all of it is gone.
      void proc.stop().then(() => this.close(exit.code ?? 1));
    });
  }

  open(): void {
    this.opened = true;
    for (const chunk of this.buffered) this.writer.fire(chunk);
    this.buffered = [];
  }

  /** The user closed the terminal or the task was terminated: stop the whole group. */
  close(code?: number): void {
    if (this.closed) return;
    this.closed = true;
    void this.proc.stop().finally(() => {
      this.closer.fire(code ?? 0);
      this.writer.dispose();
      this.closer.dispose();
    });
  }

  private write(text: string): void {
    if (this.closed) return;
    if (this.opened) this.writer.fire(text);
    else this.buffered.push(text);
  }
}

/** Runs `proc` (already spawned) as a task; the returned execution ends when the process does. */
export async function runAsTask(project: Project, proc: DevServerProcess): Promise<vscode.TaskExecution> {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(project.configFile));
  const terminal = new DevServerTerminal(proc);
  const task = new vscode.Task(
    { type: TASK_TYPE, config: project.configFile },
    folder ?? vscode.TaskScope.Workspace,
    taskName(project),
    'LangGraph',
    new vscode.CustomExecution(async () => terminal),
  );
  task.isBackground = true;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: false };
  return vscode.tasks.executeTask(task);
}

/** Shows the task's terminal (the dev server's log). */
export function revealLog(project: Project): void {
  const name = taskName(project);
  const terminal = [...vscode.window.terminals].reverse().find((t) => t.name.includes(name));
  if (terminal) terminal.show(false);
  else void vscode.commands.executeCommand('workbench.action.terminal.focus');
}
