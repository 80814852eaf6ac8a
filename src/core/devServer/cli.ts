/**
 * The command line that starts a project's dev server, and the environment it runs in. No vscode
 * import. JS: the project's own `node_modules/.bin/langgraphjs` (looked for up to the workspace
 * folder, for monorepos), else `npx --no @langchain/langgraph-cli` (`--no`: npx must not download
 * it). Python: `.venv/bin/langgraph` of the project or the workspace folder, else the interpreter
 * the Python extension reports, else `langgraph` on PATH.
 */
import * as path from 'node:path';
import type { Project, ProjectLanguage } from './project';

export interface DevServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** How the user would type it, for the terminal's first line. */
  readonly display: string;
}

export const INSTALL_COMMANDS: Record<ProjectLanguage, string> = {
  js: 'npm install --save-dev @langchain/langgraph-cli',
  python: 'pip install -U "langgraph-cli[inmem]"',
};

/** Why the dev server cannot be started: no CLI found, with the command that installs it. */
export function missingCliMessage(project: Project): string {
  const cli = project.language === 'js' ? '@langchain/langgraph-cli' : 'langgraph-cli';
  const where =
    project.language === 'js'
      ? `neither ${project.name}/node_modules/.bin/langgraphjs nor npx is there`
      : `neither a .venv with langgraph nor langgraph on PATH is there`;
  return `Cannot start the dev server of ${project.name}: the LangGraph CLI (${cli}) is not installed (${where}). Install it in the project with: ${INSTALL_COMMANDS[project.language]}`;
}

export interface CliLookup {
  /** The workspace folder holding the project (the search for node_modules and .venv stops there). */
  workspaceFolder?: string;
  /** The Python extension's interpreter for the project, if it reports one. */
  pythonInterpreter?: string;
  /** PATH to search (the extension host's by default). */
  pathVariable?: string;
  isFile: (file: string) => boolean;
  platform?: NodeJS.Platform;
}

/** The command for `project` on `port`, or undefined when no CLI is there. */
export function devServerCommand(project: Project, port: number, lookup: CliLookup): DevServerCommand | undefined {
  const windows = (lookup.platform ?? process.platform) === 'win32';
  const flags = ['dev', '--host', '127.0.0.1', '--port', String(port), '--no-browser'];
  const cwd = project.folder;
  const make = (command: string, args: string[], display: string): DevServerCommand => ({ command, args, cwd, display });
  const folders = foldersUp(project.folder, lookup.workspaceFolder);
  if (project.language === 'js') {
    const bin = windows ? 'langgraphjs.cmd' : 'langgraphjs';
    for (const dir of folders) {
      const local = path.join(dir, 'node_modules', '.bin', bin);
      if (lookup.isFile(local)) return make(local, flags, `${path.relative(cwd, local) || local} ${flags.join(' ')}`);
    }
    const npx = onPath(windows ? 'npx.cmd' : 'npx', lookup);
    if (npx) return make(npx, ['--no', '@langchain/langgraph-cli', ...flags], `npx --no @langchain/langgraph-cli ${flags.join(' ')}`);
    return undefined;
  }
  const bin = windows ? path.join('Scripts', 'langgraph.exe') : path.join('bin', 'langgraph');
  const candidates = folders.map((dir) => path.join(dir, '.venv', bin));
  if (lookup.pythonInterpreter) candidates.push(path.join(path.dirname(lookup.pythonInterpreter), path.basename(bin)));
  for (const file of candidates) {
    if (lookup.isFile(file)) return make(file, flags, `${path.relative(cwd, file) || file} ${flags.join(' ')}`);
  }
  const global = onPath(windows ? 'langgraph.exe' : 'langgraph', lookup);
  return global ? make(global, flags, `langgraph ${flags.join(' ')}`) : undefined;
}

/** The project's folder and its parents up to the workspace folder (just the project's without one). */
function foldersUp(folder: string, top: string | undefined): string[] {
  const out = [folder];
  if (!top || path.relative(top, folder).startsWith('..')) return out;
  for (let dir = folder; dir !== top && path.dirname(dir) !== dir; ) {
    dir = path.dirname(dir);
    out.push(dir);
  }
  return out;
}

function onPath(name: string, lookup: CliLookup): string | undefined {
  const value = lookup.pathVariable ?? process.env.PATH ?? '';
  for (const dir of value.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (lookup.isFile(file)) return file;
  }
  return undefined;
}

/**
 * The environment: nothing is contacted at start (no version check, no analytics, no tracing, no
 * browser), and keys of the extension host's environment do not reach the server.
 */
export function devServerEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (['LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY', 'LANGGRAPH_API_KEY', 'NODE_OPTIONS', 'LANGGRAPH_CONFIG', 'VIRTUAL_ENV', 'PYTHONHOME'].includes(k)) continue;
    // The extension host's own Electron/VS Code variables would make node act as Electron.
    if (k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('VSCODE_')) continue;
    env[k] = v;
  }
  return { ...env, ...OFFLINE_ENV, PYTHONUNBUFFERED: '1', FORCE_COLOR: '1' };
}

/**
 * What keeps both CLIs from calling out at start (the JS and Python CLIs' analytics, Python's PyPI
 * version check, LangSmith tracing) and from opening a browser. The tests' harness starts its
 * servers with it too.
 */
export const OFFLINE_ENV = {
  LANGGRAPH_CLI_NO_ANALYTICS: '1',
  LANGGRAPH_NO_VERSION_CHECK: 'true',
  LANGSMITH_TRACING: 'false',
  LANGSMITH_TRACING_V2: 'false',
  LANGCHAIN_TRACING: 'false',
  LANGCHAIN_TRACING_V2: 'false',
  BROWSER: 'none',
} as const;

/**
 * Output that means the server will never answer on its port: JS (tsx watch stays alive after a
 * crash), Python (`langgraph dev` moves to another port by itself when ours is taken).
 */
export function fatalOutput(language: ProjectLanguage): RegExp {
  return language === 'js'
    ? /EADDRINUSE|triggerUncaughtException|Failed to launch server|ERR_MODULE_NOT_FOUND/
    : /EADDRINUSE|is already in use, using port|Errno 98|address already in use|Application startup failed|failed to load/;
}

/** npx refusing to download a CLI that is not installed (`--no`). */
export const NPX_MISSING = /npx canceled due to missing packages|could not determine executable to run/i;
