// Starts code-server (the real VS Code server + Node extension host) for one test run, isolated in
// its own folder, the way /work/shared/notes/vscode-test-host.md describes. Offline: nothing here
// downloads anything; scripts/install-test-host.sh fills the cache once.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { freePort } from '../harness/ports';
import { waitFor, WaitTimeout } from '../harness/until';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
/** The repository root, from out/test/runner/*.js or test/runner/*.ts alike. */
export const REPO_ROOT = ((up2) => (basename(up2) === 'out' ? dirname(up2) : up2))(resolve(__dirname, '../..'));
export const RUNS_DIR = join(REPO_ROOT, '.test-runs');

export interface TestHost {
  node: string;
  codeServer: string;
}

/** Paths of the cached Node 24 and code-server; same cache folder as scripts/install-test-host.sh. */
export function locateTestHost(): TestHost {
  const cache = process.env.LANGGRAPH_TEST_CACHE || join(homedir(), '.cache', 'langgraph-vscode');
  const node = join(cache, `node-${NODE_VERSION}`, 'bin', 'node');
  const codeServer = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'bin', 'code-server');
  for (const p of [node, codeServer]) {
    if (!existsSync(p)) {
      const partial = existsSync(join(cache, `code-server-${CODE_SERVER_VERSION}.partial`))
        ? ' (a .partial folder exists: an install is running or was interrupted)'
        : '';
      throw new Error(`Test host not installed: ${p} is missing${partial}. Run scripts/install-test-host.sh first.`);
    }
  }
  return { node, codeServer };
}

export interface StartCodeServerOptions {
  /** Folder to open; default: an empty `workspace/` in the run folder. */
  workspace?: string;
  /** Extra environment for code-server; it reaches the extension host. */
  env?: Record<string, string>;
  /** Receives code-server's stdout/stderr line by line. */
  log?: (line: string) => void;
  /** Where code-server's output is written; default `<runDir>/code-server.log`. */
  logFile?: string;
  /** Keep workspace trust on (it asks on start): for tests of restricted mode. Default off. */
  workspaceTrust?: boolean;
  /** More user settings (e.g. the user's own langgraph.deployments). */
  userSettings?: Record<string, unknown>;
  /** .vsix files installed into its extensions folder before it starts (as a user installs them). */
  installVsix?: string[];
}

export interface CodeServer {
  url: string; // http://127.0.0.1:PORT
  port: number;
  pid: number;
  runDir: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** Ends the whole process group; removeRunDir also deletes the run folder (keep it to debug). */
  stop(opts?: { removeRunDir?: boolean }): Promise<void>;
}

// Settings that keep the workbench quiet and deterministic: no network, no prompts, no welcome tabs.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.tips.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'window.dialogStyle': 'custom',
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ends code-servers whose runner died without its exit handler (SIGKILL): `detached` outlives it. */
function reapOrphans(): void {
  for (const name of readdirSync(RUNS_DIR)) {
    try {
      const { owner, pgid } = JSON.parse(readFileSync(join(RUNS_DIR, name, 'owner.json'), 'utf8'));
      if (alive(owner) || !alive(pgid)) continue;
      if (readFileSync(`/proc/${pgid}/cmdline`, 'utf8').includes('code-server')) process.kill(-pgid, 'SIGKILL');
    } catch {
      /* not a run folder, or nothing left */
    }
  }
}

export async function startCodeServer(opts: StartCodeServerOptions = {}): Promise<CodeServer> {
  const host = locateTestHost();
  mkdirSync(RUNS_DIR, { recursive: true });
  reapOrphans();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = mkdtempSync(join(RUNS_DIR, `code-server-${stamp}-`));
  const dirs = Object.fromEntries(
    ['tmp', 'xdg', 'user-data/User', 'extensions', 'workspace'].map((d) => [d, join(runDir, d)]),
  );
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const settings = opts.workspaceTrust
    ? { ...USER_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' }
    : USER_SETTINGS;
  writeFileSync(join(dirs['user-data/User'], 'settings.json'), JSON.stringify({ ...settings, ...opts.userSettings }, null, 2));
  const workspace = resolve(opts.workspace ?? dirs.workspace);
  mkdirSync(workspace, { recursive: true });
  const userDataDir = join(runDir, 'user-data');
  const logFile = opts.logFile ?? join(runDir, 'code-server.log');
  mkdirSync(dirname(logFile), { recursive: true });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // npm's global install makes bin/code-server a symlink to a JS entry with `#!/usr/bin/env node`:
  // run it with Node 24 explicitly rather than trusting the shebang.
  const entry = realpathSync(host.codeServer);
  const [cmd, pre] = entry.endsWith('.js') ? [host.node, [entry]] : [host.codeServer, []];
  const args = [
    ...pre,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--reconnection-grace-time', '5', // else an abandoned extension host lingers for hours
    '--vscode-option', 'enable-smoke-test-driver', // else the payload's extension paths are ignored
    '--user-data-dir', userDataDir,
    '--extensions-dir', dirs.extensions,
    workspace,
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${dirname(host.node)}:${process.env.PATH ?? ''}`,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdg,
    XDG_DATA_HOME: dirs.xdg,
    XDG_CACHE_HOME: dirs.xdg,
    EXTENSIONS_GALLERY: '{}',
    ...opts.env,
  };
  // `npm run` exports npm_* (nodedir = Node 20's headers here): meant for that npm, not the test host.
  for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
  for (const vsix of opts.installVsix ?? []) {
    const installed = spawnSync(cmd, [...pre, '--install-extension', vsix, '--extensions-dir', dirs.extensions, '--user-data-dir', userDataDir], { env, cwd: runDir, encoding: 'utf8', timeout: 60_000 });
    if (installed.status !== 0) throw new Error(`code-server could not install ${vsix}: ${installed.stderr || installed.stdout}`);
  }

  const out = createWriteStream(logFile, { flags: 'a' });
  // detached: its own process group, so stop() ends the extension host and helpers with it.
  const child = spawn(cmd, args, { env, cwd: runDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${cmd}`);
  writeFileSync(join(runDir, 'owner.json'), JSON.stringify({ owner: process.pid, pgid: pid }));
  let exited: { code: number | null; signal: string | null } | undefined;
  const exitedP = new Promise<void>((res) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      res();
    });
    child.once('error', (e) => {
      exited = { code: null, signal: e.message };
      res();
    });
  });
  let pending = '';
  const onData = (b: Buffer) => {
    out.write(b);
    if (!opts.log) return;
    const lines = (pending + b.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) opts.log(l);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const killGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => killGroup('SIGKILL'); // best effort if the caller forgets or crashes
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  const stop = async (o: { removeRunDir?: boolean } = {}) => {
    await (stopping ??= (async () => {
      process.off('exit', onExit);
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exitedP;
      clearTimeout(timer);
      killGroup('SIGKILL'); // stragglers in the group (the leader may exit before its children)
      await new Promise<void>((res) => out.end(res));
    })());
    if (o.removeRunDir) rmSync(runDir, { recursive: true, force: true });
  };

  try {
    const healthy = async () => {
      if (exited) throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it was ready; see ${logFile}`);
      return fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false); // false: not listening yet
    };
    await waitFor(`code-server to answer ${url}/healthz`, healthy, { timeoutMs: 60_000 });
  } catch (err) {
    await stop();
    throw err instanceof WaitTimeout ? new Error(`${err.message}; see ${logFile}`) : err;
  }
  return { url, port, pid, runDir, workspace, userDataDir, extensionsDir: dirs.extensions, logFile, stop };
}
