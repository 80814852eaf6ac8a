// Starts the real LangGraph Agent Server on the fixture deployment, offline, on a free loopback
// port, each instance with its own state folder: the JS one (`langgraphjs dev`, fixture
// test/fixtures/deployment) or the Python one (`langgraph dev` from langgraph-cli[inmem], fixture
// test/fixtures/deployment-py, venv made by scripts/setup-python-server.sh). Node built-ins only.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';
import { fatalOutput, OFFLINE_ENV } from '../../src/core/devServer/cli';
import { freePort } from './ports';

export type ServerKind = 'js' | 'python';

export interface AgentServerOptions {
  /** Which Agent Server: default from LANGGRAPH_TEST_SERVER_KIND, else 'js'. */
  server?: ServerKind;
  /** 'auth' uses langgraph.auth.json (keys alice-key / bob-key). */
  config?: 'default' | 'auth';
  port?: number;
  /** Kept as is if given; the default `<repo>/.test-runs/agent-server-<port>` is wiped first. */
  stateDir?: string;
  log?: (line: string) => void;
}

export interface AgentServer {
  /** Which implementation this is: 'js' (@langchain/langgraph-api) or 'python' (langgraph-api). */
  readonly server: ServerKind;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /**
   * SIGTERM, wait for the whole process group to end (SIGKILL after 5 s). State is flushed. Python:
   * uvicorn first waits for open requests (a join, a stream) to end, so with one open it is
   * SIGKILLed after 5 s and loses the writes since its last periodic flush.
   */
  stop(): Promise<void>;
  /**
   * SIGKILL the whole process group, like a crash. JS: the last ~3 s of writes are lost. Python:
   * it writes every 10 s, so up to 10 s are lost; on restart it retries the runs it had saved as
   * running (they go back to pending), where the JS server leaves them running forever.
   */
  kill(): Promise<void>;
  /** Start again on the same port and state dir, wait until ready. */
  restart(): Promise<void>;
  /**
   * Waits until the server has written `status` for the run to its state file, i.e. until a crash
   * would keep it (instead of sleeping past the write and racing it on a busy machine).
   */
  waitForSaved(runId: string, status: string): Promise<void>;
  /**
   * POST /internal/truncate: wipe threads, runs, checkpoints and store (not assistants). The Python
   * server has it too (in-mem runtime only) but ignores the body: it wipes runs, threads and
   * checkpoints, keeps the graphs' assistants, and leaves the store as it is.
   */
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
export const PY_FIXTURE_DIR = path.join(REPO_ROOT, 'test/fixtures/deployment-py');
const RUNS_DIR = path.join(REPO_ROOT, '.test-runs');
const CLI = path.join(FIXTURE_DIR, 'node_modules/@langchain/langgraph-cli/dist/cli/cli.mjs');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
// Startup output that means the server will never answer (tsx watch stays alive after a crash).
const FATAL = fatalOutput('js');
/** A closed port: a safety net if anything still calls out to LangSmith. */
const CLOSED_ENDPOINTS = { LANGSMITH_ENDPOINT: 'http://127.0.0.1:9', LANGCHAIN_ENDPOINT: 'http://127.0.0.1:9' };

export { freePort };

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
      const cmdline = fs.readFileSync(`/proc/${info.pgid}/cmdline`, 'utf8');
      if (cmdline.includes('langgraph-cli') || (info.kind === 'python' && cmdline.includes('/bin/langgraph\0dev'))) {
        signalGroup(info.pgid, 'SIGKILL');
      }
    } catch {
      /* not a server folder, or nothing to reap */
    }
  }
}

/** The kind asked for, else LANGGRAPH_TEST_SERVER_KIND, else 'js'. */
export function serverKind(asked?: ServerKind): ServerKind {
  const kind = asked ?? (process.env.LANGGRAPH_TEST_SERVER_KIND || 'js');
  if (kind !== 'js' && kind !== 'python') throw new Error(`LANGGRAPH_TEST_SERVER_KIND must be js or python, not ${kind}`);
  return kind;
}

/**
 * The venv scripts/setup-python-server.sh makes: `<test cache>/py-server-<12 hex of the lock's
 * sha256>`, complete once its marker exists (the script writes it last).
 */
export function pythonVenv(): string {
  const lock = fs.readFileSync(path.join(PY_FIXTURE_DIR, 'requirements.lock'));
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 12);
  const cache = process.env.LANGGRAPH_TEST_CACHE || path.join(os.homedir(), '.cache/langgraph-vscode');
  return path.join(cache, `py-server-${hash}`);
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
 * Each server gets its own folder with a copy of its fixture's config (its state is kept there),
 * every path in it (graphs, auth, env, dependencies) mapped back to the fixture by `pathFor`.
 */
function writeConfig(runDir: string, which: 'default' | 'auth', fixtureDir: string, pathFor: (p: string) => string): string {
  const file = which === 'auth' ? 'langgraph.auth.json' : 'langgraph.json';
  const config = JSON.parse(fs.readFileSync(path.join(fixtureDir, file), 'utf8'));
  const spec = (s: string) => pathFor(s.slice(0, s.indexOf(':'))) + s.slice(s.indexOf(':'));
  for (const [id, g] of Object.entries<string | { path: string }>(config.graphs)) {
    config.graphs[id] = typeof g === 'string' ? spec(g) : { ...g, path: spec(g.path) };
  }
  if (config.auth?.path) config.auth.path = spec(config.auth.path);
  if (typeof config.env === 'string') config.env = pathFor(config.env);
  if (Array.isArray(config.dependencies)) config.dependencies = config.dependencies.map(pathFor);
  const target = path.join(runDir, 'langgraph.json');
  fs.writeFileSync(target, JSON.stringify(config, null, 2));
  return target;
}

/**
 * The JS CLI keeps state in `<config dir>/.langgraph_api/` and joins the config's paths to that
 * dir (and resolves @langchain/langgraph from the first graph file): relative paths back.
 */
function writeJsConfig(runDir: string, which: 'default' | 'auth'): string {
  return writeConfig(runDir, which, FIXTURE_DIR, (p) => path.relative(runDir, path.resolve(FIXTURE_DIR, p)));
}

function serverEnv(tmpDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...OFFLINE_ENV, ...CLOSED_ENDPOINTS, TMPDIR: tmpDir };
  // Keys must not reach the server; NODE_OPTIONS/LANGGRAPH_CONFIG of the test process would alter it.
  for (const k of ['LANGSMITH_API_KEY', 'LANGCHAIN_API_KEY', 'LANGGRAPH_API_KEY', 'NODE_OPTIONS', 'LANGGRAPH_CONFIG']) {
    delete env[k];
  }
  return env;
}

/**
 * The Python server keeps state in `.langgraph_api/` under its working directory, and resolves
 * graph and auth paths and `dependencies` (put on sys.path) against it: each instance runs in its
 * own folder with a copy of the fixture's config whose paths are absolute.
 */
function writePythonConfig(runDir: string, which: 'default' | 'auth'): string {
  return writeConfig(runDir, which, PY_FIXTURE_DIR, (p) => path.resolve(PY_FIXTURE_DIR, p));
}

/**
 * Everything that would make the Python server call out, or behave unlike a fresh dev server, is
 * off or dropped. Seen in langgraph_api 0.16 / langgraph_cli 0.4: the CLI's analytics (a POST to an
 * outside host unless LANGGRAPH_CLI_NO_ANALYTICS=1), a PyPI version check on every start (unless
 * LANGGRAPH_NO_VERSION_CHECK), LangSmith tracing and the Studio org lookup (only with tracing on),
 * the licence/metadata beacon (only with a licence or control-plane key), OTLP exporters (only with
 * OTEL_* endpoints). With this environment strace saw no connect() at all.
 */
function pythonServerEnv(tmpDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(LANGGRAPH_|LANGSMITH_|LANGCHAIN_|OTEL_|DD_)/.test(k)) continue; // keys, licences, endpoints, tracing
    if (['PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'VIRTUAL_ENV', 'MOUNT_PREFIX', 'DATABASE_URI', 'REDIS_URI', 'N_JOBS_PER_WORKER'].includes(k)) continue;
    env[k] = v;
  }
  // Log lines as they happen: readiness is read from them.
  return { ...env, ...OFFLINE_ENV, ...CLOSED_ENDPOINTS, PYTHONUNBUFFERED: '1', TMPDIR: tmpDir };
}

// Python startup output that means the server will never answer on our port (the same the
// extension's dev server watches for; `langgraph dev` moves to another port by itself when ours is taken).
const PY_FATAL = fatalOutput('python');

const SAVE_TIMEOUT_MS = 60_000;
/**
 * Prints the status of run argv[2] in the Python server's pickled state argv[1] (nothing if
 * absent). Unpickling imports the server's modules, which read the config `langgraph dev` sets.
 */
const PY_SAVED_STATUS = [
  'import pickle, sys',
  'with open(sys.argv[1], "rb") as f: ops = pickle.load(f)',
  'print(next((str(r.get("status")) for r in (ops.get("runs") or []) if str(r.get("run_id")) == sys.argv[2]), ""))',
].join('\n');
const PY_DEV_CONFIG = { REDIS_URI: 'fake', DATABASE_URI: ':memory:', MIGRATIONS_PATH: '__inmem', LANGGRAPH_RUNTIME_EDITION: 'inmem' };

class Server implements AgentServer {
  private child: ChildProcess | undefined;
  private tail: string[] = [];

  constructor(
    public readonly server: ServerKind,
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
    const python = this.server === 'python';
    const configPath = python ? writePythonConfig(this.runDir, this.which) : writeJsConfig(this.runDir, this.which);
    const logFile = fs.createWriteStream(path.join(this.runDir, 'server.log'), { flags: 'a' });
    this.tail = [];
    // Under Electron (VS Code tests) process.execPath is not node.
    const node = process.versions.electron ? 'node' : process.execPath;
    const [command, args] = python
      ? [
          path.join(pythonVenv(), 'bin/langgraph'),
          // --n-jobs-per-worker 10: `langgraph dev` runs one run at a time unless told (its help says
          // 10); the JS dev server and platform deployments run 10 at once.
          ['dev', '--host', '127.0.0.1', '--port', String(this.port), '--no-browser', '--no-reload', '--n-jobs-per-worker', '10', '--config', configPath],
        ]
      : [node, [CLI, 'dev', '--host', '127.0.0.1', '--port', String(this.port), '--no-browser', '--config', configPath]];
    const child = spawn(command, args, {
      cwd: this.runDir, // the Python server's state goes to <cwd>/.langgraph_api
      env: python ? pythonServerEnv(tmpDir) : serverEnv(tmpDir),
      detached: true, // own process group: CLI, tsx watcher and server are stopped together
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = `exited early (code ${code}, signal ${signal})`));
    child.on('close', () => logFile.end());
    child.on('error', (e) => (exited = `failed to start: ${e.message}`));
    if (!child.pid) throw new Error(`Agent Server could not be spawned with ${command}`);
    liveGroups.add(child.pid);
    fs.writeFileSync(
      path.join(this.runDir, 'server.json'),
      JSON.stringify({ pgid: child.pid, ownerPid: process.pid, port: this.port, kind: this.server }),
    );
    let fatal: string | undefined;
    const ours = { listening: false, banner: false }; // saw our "Server running" line: a 200 could come from another server
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (raw) => {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, ''); // the server's logger colours even pipes
        if (logFile.writable) logFile.write(line + '\n');
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        if ((python ? PY_FATAL : FATAL).test(line)) fatal ??= line.trim();
        if (!python && line.includes(`Server running at 127.0.0.1:${this.port}`)) ours.listening = true;
        // Python: the banner names the port (it may have moved: see PY_FATAL); the app's startup
        // (graphs loaded) is logged just before uvicorn binds the socket.
        if (python && line.includes(`API: http://127.0.0.1:${this.port}`)) ours.banner = true;
        if (python && ours.banner && line.includes('Application started up')) ours.listening = true;
        this.log?.(line);
      });
    }

    const probe = `${this.url}${this.which === 'auth' ? '/info' : '/ok'}`; // /ok needs a key with auth (JS)
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
    // Python: the CLI is the server (uvicorn, no reloader); on SIGTERM it waits for open requests
    // to end, then writes its state (a second signal would skip the write: not sent).
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

  async waitForSaved(runId: string, status: string): Promise<void> {
    const deadline = Date.now() + SAVE_TIMEOUT_MS;
    for (let saved = await this.savedRunStatus(runId); saved !== status; saved = await this.savedRunStatus(runId)) {
      if (Date.now() > deadline) throw new Error(`run ${runId}: the server saved ${saved ?? 'nothing'}, not "${status}", within ${SAVE_TIMEOUT_MS / 1000} s`);
      await sleep(200);
    }
  }

  /**
   * A run's status in the state file, undefined while not written. JS: .langgraphjs_ops.json,
   * written 3 s after the last operation; Python: .langgraph_ops.pckl (a pickle, read with the
   * venv's Python), written every 10 s.
   */
  private async savedRunStatus(runId: string): Promise<string | undefined> {
    try {
      if (this.server === 'js') {
        const ops = JSON.parse(fs.readFileSync(path.join(this.runDir, '.langgraph_api/.langgraphjs_ops.json'), 'utf8'));
        return ops?.json?.runs?.[runId]?.status;
      }
      const file = path.join(this.runDir, '.langgraph_api/.langgraph_ops.pckl');
      if (!fs.existsSync(file)) return undefined;
      const { stdout } = await promisify(execFile)(path.join(pythonVenv(), 'bin/python'), ['-c', PY_SAVED_STATUS, file, runId], {
        encoding: 'utf8',
        timeout: 30_000,
        cwd: this.runDir,
        env: { ...pythonServerEnv(path.join(this.runDir, 'tmp')), ...PY_DEV_CONFIG },
      });
      return stdout.trim() || undefined;
    } catch {
      return undefined; // not written yet, or caught in the middle of a write
    }
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
  const kind = serverKind(opts.server);
  if (kind === 'js' && !fs.existsSync(CLI)) throw new Error(`${CLI} missing: run npm install in ${FIXTURE_DIR}`);
  if (kind === 'python' && !fs.existsSync(path.join(pythonVenv(), '.setup-complete'))) {
    throw new Error(`The Python Agent Server is not installed in ${pythonVenv()}: run bash scripts/setup-python-server.sh (npm run setup does)`);
  }
  reapOrphans();
  // A port picked by freePort() can be taken before the server binds it: then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    let runDir = opts.stateDir ?? path.join(RUNS_DIR, `agent-server-${port}`);
    if (!opts.stateDir) fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true });
    runDir = fs.realpathSync(runDir);
    const server = new Server(kind, opts.config ?? 'default', port, runDir, opts.log);
    try {
      await server.launch();
      return server;
    } catch (e) {
      if (opts.port !== undefined || attempt >= 3 || !/EADDRINUSE|already in use|Errno 98/.test(String(e))) throw e;
    }
  }
}
