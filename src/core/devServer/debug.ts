/**
 * Debug Dev Server: what makes each server debuggable, and the attach configuration for VS Code.
 * No vscode import.
 * - Python: `langgraph dev --debug-port <port>` (debugpy listens in the server; the CLI quietly
 *   starts no server when debugpy is missing, so that is checked first).
 * - JS: `NODE_OPTIONS=--inspect-port=127.0.0.1:<port>` reaches the CLI, tsx's watcher and the
 *   server alike, and opens no inspector by itself; SIGUSR1 to the server process alone (the one
 *   running the API's entrypoint) opens it there, once at start and again after each reload (tsx
 *   starts a new process), so the port stays the server's and never clashes with its parents'.
 *   js-debug attaches to the target's WebSocket (`websocketAddress`), not by port: by port it
 *   polls `/json/*` over HTTP and throws ECONNREFUSED when a reload or Stop closes the port; a
 *   reload ends the session, and the extension attaches again once the new process's is open.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DevServerCommand } from './cli';
import { groupPids } from './processGroup';
import type { Project, ProjectLanguage } from './project';

export interface DebugLaunch {
  args: string[];
  env: Record<string, string>;
}

export function debugLaunch(language: ProjectLanguage, port: number): DebugLaunch {
  return language === 'python'
    ? { args: ['--debug-port', String(port)], env: {} }
    : { args: [], env: { NODE_OPTIONS: `--inspect-port=127.0.0.1:${port}` } };
}

export type AttachConfiguration = Record<string, unknown> & { type: string; name: string; request: 'attach' };

export function attachName(project: Project): string {
  return `Attach to the dev server of ${project.name}`;
}

/** debugpy's attach configuration. */
export function pythonAttach(project: Project, port: number): AttachConfiguration {
  return { type: 'debugpy', request: 'attach', name: attachName(project), connect: { host: '127.0.0.1', port }, justMyCode: false };
}

/** js-debug's attach configuration for the server process's inspector at `websocketAddress`. */
export function nodeAttach(project: Project, websocketAddress: string): AttachConfiguration {
  return { type: 'node', request: 'attach', name: attachName(project), websocketAddress, skipFiles: ['<node_internals>/**'] };
}

/** The JS server process of the group: the one running langgraph-api's entrypoint (Linux: /proc). */
export function jsServerPid(pgid: number): number | undefined {
  const pids = groupPids(pgid).filter((pid) => {
    try {
      return /langgraph-api[\\/]dist[\\/]cli[\\/]entrypoint\.m?js/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
  return pids.sort((a, b) => a - b).at(-1);
}

/**
 * The Python interpreter of the environment `langgraph` runs in: its script's `#!` line (a venv's
 * console script names its python), else the python next to it.
 */
export function interpreterOf(command: DevServerCommand): string {
  try {
    const first = fs.readFileSync(command.command, 'utf8').slice(0, 512).split('\n', 1)[0]!;
    const m = /^#!\s*(\S+python[\d.]*)\s*$/.exec(first);
    if (m) return m[1]!;
  } catch {
    /* a binary launcher (Windows) */
  }
  return path.join(path.dirname(command.command), process.platform === 'win32' ? 'python.exe' : 'python');
}

export function debugpyMissingMessage(project: Project, python: string): string {
  return `Cannot debug the dev server of ${project.name}: debugpy is not installed in its Python environment (${python}). Install it with: ${python} -m pip install debugpy`;
}

/** True when `python` imports debugpy (10 s at most). */
export function hasDebugpy(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import debugpy'], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

/**
 * Opens the JS server's inspector (SIGUSR1 to its process) and waits until the port lists its
 * target. False when no server process or no answer within `timeoutMs`.
 */
export async function openJsInspector(pgid: number, port: number, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let signalled: number | undefined;
  while (Date.now() < deadline) {
    const pid = jsServerPid(pgid);
    if (pid !== undefined && pid !== signalled) {
      try {
        process.kill(pid, 'SIGUSR1');
        signalled = pid;
      } catch {
        /* it ended: a newer one comes */
      }
    }
    if (signalled !== undefined && (await inspectorTargets(port)).length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** The Node inspector's targets on `port` (`GET /json/list`), [] when it does not answer. */
export interface InspectorTarget {
  id: string;
  title: string;
  type: string;
  webSocketDebuggerUrl: string;
}

export async function inspectorTargets(port: number): Promise<InspectorTarget[]> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(2_000) });
    const body: unknown = await res.json();
    return Array.isArray(body) ? (body as InspectorTarget[]) : [];
  } catch {
    return [];
  }
}
