/**
 * What the tracker keeps across window reloads, behind a small interface (the UI backs it with
 * workspaceState). What is loaded is checked entry by entry: an old or damaged value loses only
 * the entries that do not read, never the tracker. Texts a server wrote (a run's error, an
 * interrupt's question, a status) are clipped to a few KB, on save and on load: a server's words
 * can run to megabytes, and workspace state is read whole at every window start.
 */
import { clip } from '../../shared/text';
import { isRunRef, type RunEndReport, type RunRef } from '../refs';
import { isRunOutcome } from '../runOutcome';

export interface PersistedRun extends RunRef {
  label?: string;
  followedAt: number;
  suspect?: string;
  cancelRequested?: boolean;
}

export interface PersistedState {
  version: 1;
  runs: PersistedRun[];
  /** Recently ended runs, newest first, for the list. */
  recent: RunEndReport[];
}

export interface TrackerStorage {
  load(): unknown;
  save(state: PersistedState): void | PromiseLike<void>;
}

/** For tests and for hosts with nowhere to keep state. */
export class MemoryStorage implements TrackerStorage {
  constructor(public value: unknown = undefined) {}
  saves = 0;
  load(): unknown {
    return this.value;
  }
  save(state: PersistedState): void {
    this.saves++;
    this.value = JSON.parse(JSON.stringify(state)) as unknown;
  }
}

/** The most of one text kept in workspace state. */
export const MAX_STORED_TEXT = 4_000;

/** A text as it is kept: as it is when short, else on one line and cut to MAX_STORED_TEXT. */
function kept(text: string): string {
  return text.length > MAX_STORED_TEXT ? clip(text, MAX_STORED_TEXT) : text;
}

/** The state as it is saved: the same checks and clips as on load. */
export function toStored(state: PersistedState): PersistedState {
  return readPersisted(state);
}

export function readPersisted(raw: unknown): PersistedState {
  const state: PersistedState = { version: 1, runs: [], recent: [] };
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return state;
  const { runs, recent } = raw as { runs?: unknown; recent?: unknown };
  if (Array.isArray(runs)) {
    for (const r of runs) {
      if (!isRunRef(r)) continue;
      const p = r as Partial<PersistedRun>;
      state.runs.push({
        deploymentUrl: r.deploymentUrl,
        threadId: r.threadId,
        runId: r.runId,
        followedAt: typeof p.followedAt === 'number' ? p.followedAt : 0,
        ...(typeof p.label === 'string' ? { label: kept(p.label) } : {}),
        ...(typeof p.suspect === 'string' ? { suspect: kept(p.suspect) } : {}),
        ...(p.cancelRequested === true ? { cancelRequested: true } : {}),
      });
    }
  }
  if (Array.isArray(recent)) {
    for (const r of recent) {
      const e = r as Partial<RunEndReport>;
      if (!isRunRef(r) || !isRunOutcome(e.outcome) || typeof e.status !== 'string') continue;
      state.recent.push({
        deploymentUrl: r.deploymentUrl,
        threadId: r.threadId,
        runId: r.runId,
        status: kept(e.status),
        outcome: e.outcome,
        endedAt: typeof e.endedAt === 'number' ? e.endedAt : 0,
        ...(typeof e.threadStatus === 'string' ? { threadStatus: kept(e.threadStatus) } : {}),
        ...(typeof e.error === 'string' ? { error: kept(e.error) } : {}),
        ...(typeof e.label === 'string' ? { label: kept(e.label) } : {}),
        ...(typeof e.question === 'string' ? { question: kept(e.question) } : {}),
      });
    }
  }
  return state;
}
