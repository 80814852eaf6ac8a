/**
 * A dev server process in a process group of its own (`detached`), so that the CLI, its watcher and
 * the server stop together and none is left behind. Keeps the last lines of its output for the
 * messages. No vscode import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { Listeners } from '../listeners';
import type { DevServerCommand } from './cli';

const TAIL_LINES = 50;
export const STOP_GRACE_MS = 5_000;

/** Groups still running: SIGKILLed when the extension host exits without stopping them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function track(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const id of liveGroups) signalGroup(id, 'SIGKILL');
  });
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/** The PIDs of the group's processes that are not zombies (Linux: read from /proc; else the leader). */
export function groupPids(pgid: number): number[] {
  if (!fs.existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(name));
    } catch {
      /* ended while read */
    }
  }
  return pids;
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return groupPids(pgid).length > 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: string;
}

export class DevServerProcess {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private partial = '';
  private readonly output = new Listeners<string>();
  private readonly lineEvents = new Listeners<string>();
  private exitInfo: Exit | undefined;
  private readonly exitEvents = new Listeners<Exit>();
  private stopping: Promise<void> | undefined;
  /** Raw output chunks (colours kept), for the terminal. */
  readonly onOutput = this.output.on;
  /** Each output line, colours removed. */
  readonly onLine = this.lineEvents.on;
  /** The CLI process ended (its group may still be stopping). */
  readonly onExit = this.exitEvents.on;
  readonly pid: number | undefined;

  constructor(readonly command: DevServerCommand, env: NodeJS.ProcessEnv) {
    this.child = spawn(command.command, [...command.args], {
      cwd: command.cwd,
      env,
      detached: true, // its own process group: stopped as one
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.child.pid;
    if (this.pid) track(this.pid);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.take(chunk));
    }
    this.child.on('error', (e) => this.exited({ code: null, signal: null, error: e.message }));
    this.child.on('exit', (code, signal) => this.exited({ code, signal }));
  }

  /** The last lines of output (at most 50), colours removed. */
  tail(count = TAIL_LINES): string[] {
    const all = this.partial ? [...this.lines, stripAnsi(this.partial)] : this.lines;
    return all.slice(-count);
  }

  get exit(): Exit | undefined {
    return this.exitInfo;
  }

  /** True while a process of the group runs. */
  alive(): boolean {
    return this.pid !== undefined && groupAlive(this.pid);
  }

  /**
   * Stops the whole group: SIGTERM to the CLI (it stops its watcher, which relays one SIGTERM to
   * the server, which saves its state; a SIGTERM to every process would make tsx kill the server
   * unsaved), then SIGKILL to the group if anything of it is left after 5 s.
   */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopping ??= (async () => {
      const pgid = this.pid;
      if (pgid === undefined) return;
      if (this.exitInfo) signalGroup(pgid, 'SIGTERM');
      else {
        try {
          process.kill(pgid, 'SIGTERM');
        } catch {
          signalGroup(pgid, 'SIGTERM');
        }
      }
      const end = Date.now() + graceMs;
      while (groupAlive(pgid) && Date.now() < end) await sleep(50);
      if (groupAlive(pgid)) {
        signalGroup(pgid, 'SIGKILL');
        const killEnd = Date.now() + graceMs;
        while (groupAlive(pgid) && Date.now() < killEnd) await sleep(50);
      }
      liveGroups.delete(pgid);
    })();
    return this.stopping;
  }

  /** Stops without waiting (the window closes): SIGTERM now, SIGKILL in 5 s, and on exit. */
  stopSoon(): void {
    const pgid = this.pid;
    if (pgid === undefined || this.stopping) return;
    void this.stop();
  }

  private take(chunk: string): void {
    this.output.fire(chunk);
    const text = this.partial + chunk;
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const raw of parts) {
      const line = stripAnsi(raw);
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
      this.lineEvents.fire(line);
    }
  }

  private exited(exit: Exit): void {
    if (this.exitInfo) return;
    this.exitInfo = exit;
    if (this.partial) {
      this.lines.push(stripAnsi(this.partial));
      this.partial = '';
    }
    this.exitEvents.fire(exit);
  }
}

export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
