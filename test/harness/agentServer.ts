// Starts the real LangGraph Agent Server (`langgraphjs dev`) on the fixture deployment, offline,
// on a free loopback port, each instance with its own state folder. Node built-ins only.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

export interface AgentServerOptions {
  /** 'auth' uses langgraph.auth.json (keys alice-key / bob-key). */
  config?: 'default' | 'auth';
  port?: number;
  /** Kept as is if given; the default `<repo>/.test-runs/agent-server-<port>` is wiped first. */
  stateDir?: string;
  log?: (line: string) => void;
}

export interface AgentServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, wait for the whole process group to end (SIGKILL after 5 s). State is flushed. */
  stop(): Promise<void>;
  /** SIGKILL the whole process group, like a crash: the last ~3 s of writes are lost. */
  kill(): Promise<void>;
  /** Start again on the same port and state dir, wait until ready. */
  restart(): Promise<void>;
  /** POST /internal/truncate: wipe threads, runs, checkpoints and store (not assistants). */
  truncate(): Promise<void>;
}

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'test/fixtures/deployment/langgraph.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no test/fixtures/deployment above ${__dirname}`);
  }
}

const REPO_ROOT = findRepoRoot();
export const FIXTURE_DIR = path.join(REPO_ROOT, 'test/fixtures/deployment');
const RUNS_DIR = path.join(REPO_ROOT, '.test-runs');
const CLI = path.join(FIXTURE_DIR, 'node_modules/@langchain/langgraph-cli/dist/cli/cli.mjs');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
// Startup output that means the server will never answer (tsx watch stays alive after a crash).
const FATAL = /EADDRINUSE|triggerUncaughtException|Failed to launch server|ERR_MODULE_NOT_FOUND/;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Process groups still running: killed on exit so that a failing test run leaves nothing behind. */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/** True while a non-zombie process of the group exists (zombies answer kill(0) too). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (!fs.existsSync('/proc/self/stat')) return true;
  return fs.readdirSync('/proc').some((name) => {
    if (!/^\d+$/.test(name)) return false;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z';
    } catch {
      return false;
    }
  });
}

async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kills servers left by test processes that died without their exit handler (e.g. SIGKILL). */
function reapOrphans(): void {
  if (!fs.existsSync(RUNS_DIR)) return;
  for (const name of fs.readdirSync(RUNS_DIR)) {
    try {
      const info = JSON.parse(fs.readFileSync(path.join(RUNS_DIR, name, 'server.json'), 'utf8'));
      if (isAlive(info.ownerPid) || !groupAlive(info.pgid)) continue;
      if (fs.readFileSync(`/proc/${info.pgid}/cmdline`, 'utf8').includes('langgraph-cli')) {
        signalGroup(info.pgid, 'SIGKILL');
      }
    } catch {
      /* not a server folder, or nothing to reap */
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The CLI keeps state in `<config dir>/.langgraph_api/`, so each server gets its own config dir:
 * a copy of the fixture's config whose paths point back (relatively: the CLI joins them to the
 * config dir, and resolves @langchain/langgraph from the first graph file) to the fixture.
 */
function writeConfig(runDir: string, which: 'default' | 'auth'): string {
  const file = which === 'auth' ? 'langgraph.auth.json' : 'langgraph.json';
  const config = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8'));
  const rel = (p: string) => path.relative(runDir, path.resolve(FIXTURE_DIR, p));
  const spec = (s: string) => rel(s.slice(0, s.indexOf(':'))) + s.slice(s.indexOf(':'));
  for (const [id, g] of Object.entries<string | { path: string }>(config.graphs)) {
    config.graphs[id] = typeof g === 'string' ? spec(g) : { ...g, path: spec(g.path) };
  }
  if (config.auth?.path) config.auth.path = spec(config.auth.path);
  if (typeof config.env === 'string') config.env = rel(config.env);
  if (Array.isArray(config.dependencies)) config.dependencies = config.dependencies.map(rel);
  const target = path.join(runDir, 'langgraph.json');
  fs.writeFileSync(target, JSON.stringify(config, null, 2));
  return target;
}

function serverEnv(tmpDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LANGGRAPH_CLI_NO_ANALYTICS: '1', // otherwise the CLI posts analytics to an outside host
    LANGSMITH_TRACING: 'false',
    LANGSMITH_TRACING_V2: 'false',
    LANGCHAIN_TRACING: 'false',
    LANGCHAIN_TRACING_V2: 'false',
    LANGSMITH_ENDPOINT: 'http://127.0.0.1:9', // closed port: a safety net if anything still calls out
    LANGCHAIN_ENDPOINT: 'http://127.0.0.1:9',
    BROWSER: 'none',
    TMPDIR: tmpDir,
  };
  // Keys must not reach the server; NODE_OPTIONS/LANGGRAPH_CONFIG of the test process would alter it.
  for (const k of ['LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY', 'LANGGRAPH_API_KEY', 'NODE_OPTIONS', 'LANGGRAPH_CONFIG']) {
    delete env[k];
  }
  return env;
}

class Server implements AgentServer {
  private child: ChildProcess | undefined;
  private tail: string[] = [];

  constructor(
    private readonly which: 'default' | 'auth',
    public port: number,
    private readonly runDir: string,
    private readonly log?: (line: string) => void,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  async launch(): Promise<void> {
    // tsx puts IPC sockets in TMPDIR: keep it short (socket paths are limited to ~107 bytes).
    let tmpDir = path.join(this.runDir, 'tmp');
    if (tmpDir.length > 70) tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-server-'));
    fs.mkdirSync(tmpDir, { recursive: true });
    const configPath = writeConfig(this.runDir, this.which);
    const logFile = fs.createWriteStream(path.join(this.runDir, 'server.log'), { flags: 'a' });
    this.tail = [];
    // Under Electron (VS Code tests) process.execPath is not node.
    const node = process.versions.electron ? 'node' : process.execPath;
    const args = [CLI, 'dev', '--host', '127.0.0.1', '--port', String(this.port), '--no-browser', '--config', configPath];
    const child = spawn(node, args, {
      cwd: this.runDir,
      env: serverEnv(tmpDir),
      detached: true, // own process group: CLI, tsx watcher and server are stopped together
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = `exited early (code ${code}, signal ${signal})`));
    child.on('close', () => logFile.end());
    child.on('error', (e) => (exited = `failed to start: ${e.message}`));
    if (!child.pid) throw new Error(`Agent Server could not be spawned with ${node}`);
    liveGroups.add(child.pid);
    fs.writeFileSync(
      path.join(this.runDir, 'server.json'),
      JSON.stringify({ pgid: child.pid, ownerPid: process.pid, port: this.port }),
    );
    let fatal: string | undefined;
    const ours = { listening: false }; // saw our "Server running" line: a 200 could come from another server
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (raw) => {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, ''); // the server's logger colours even pipes
        if (logFile.writable) logFile.write(line + '\n');
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        if (FATAL.test(line)) fatal ??= line.trim();
        if (line.includes(`Server running at 127.0.0.1:${this.port}`)) ours.listening = true;
        this.log?.(line);
      });
    }

    const probe = `${this.url}${this.which === 'auth' ? '/info' : '/ok'}`; // /ok needs a key with auth
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const problem = exited ?? (fatal && `crashed: ${fatal}`) ?? (Date.now() > deadline ? 'not ready in 60 s' : undefined);
      if (problem) {
        await this.kill();
        throw new Error(`Agent Server on port ${this.port} ${problem}. Last output:\n${this.tail.join('\n')}`);
      }
      try {
        if (ours.listening && (await fetch(probe, { signal: AbortSignal.timeout(2000) })).status === 200) return;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    const pgid = this.child?.pid;
    if (pgid === undefined) return;
    // SIGTERM to the CLI only: it stops tsx watch, which relays one SIGTERM to the server, which
    // flushes state. SIGTERM to the whole group makes tsx receive two and SIGKILL the server.
    try {
      process.kill(pgid, 'SIGTERM');
    } catch {
      /* CLI already gone */
    }
    if (!(await waitGroupGone(pgid, STOP_GRACE_MS))) await this.kill();
    this.forget(pgid);
  }

  async kill(): Promise<void> {
    const pgid = this.child?.pid;
    if (pgid === undefined) return;
    signalGroup(pgid, 'SIGKILL');
    await waitGroupGone(pgid, STOP_GRACE_MS);
    this.forget(pgid);
  }

  private forget(pgid: number): void {
    liveGroups.delete(pgid);
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async truncate(): Promise<void> {
    const res = await fetch(`${this.url}/internal/truncate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ runs: true, threads: true, checkpointer: true, store: true }),
    });
    if (!res.ok) throw new Error(`truncate: HTTP ${res.status} ${await res.text()}`);
  }
}

export async function startAgentServer(opts: AgentServerOptions = {}): Promise<AgentServer> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run npm install in ${FIXTURE_DIR}`);
  reapOrphans();
  // A port picked by freePort() can be taken before the server binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    let runDir = opts.stateDir ?? path.join(RUNS_DIR, `agent-server-${port}`);
    if (!opts.stateDir) fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true });
    runDir = fs.realpathSync(runDir);
    const server = new Server(opts.config ?? 'default', port, runDir, opts.log);
    try {
      await server.launch();
      return server;
    } catch (e) {
      if (opts.port !== undefined || attempt >= 3 || !/EADDRINUSE/.test(String(e))) throw e;
    }
  }
}
