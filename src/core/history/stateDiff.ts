/**
 * What changed between two states' values, lazily: `diffKeys` says which top-level keys were
 * added, removed or changed, comparing within a budget of nodes (keys it had no budget left for
 * are `unchecked`); `diffKey` deep-diffs one key when asked (microdiff), refusing past its own
 * budget unless asked with a larger one. A `messages` list is compared as messages, by id: the new
 * ones come back as messages (normalizeMessage), not as JSON paths. No vscode, no DOM, no node:
 * the webview may bundle this file.
 */
import diff from 'microdiff';
import { isRecord } from '../../shared/isRecord';
import { normalizeMessage, type MessageView } from '../messages';

export type DiffPath = (string | number)[];

export interface ValueChange {
  kind: 'added' | 'removed' | 'changed';
  /** From the top-level key down: ["notes", 2], ["profile", "name"]. */
  path: DiffPath;
  before?: unknown;
  after?: unknown;
}

export interface StateKeysDiff {
  added: string[];
  removed: string[];
  changed: string[];
  /** Keys present on both sides that the budget did not reach: maybe changed; `diffKey` tells. */
  unchecked: string[];
  /** How many keys are the same on both sides. */
  same: number;
}

export interface MessagesDiff {
  /** Messages of the newer state that the older one did not have, in the newer state's order. */
  added: MessageView[];
  /** Messages of the older state that are gone (by id). */
  removed: MessageView[];
  /** Messages with the same id whose content differs. */
  changed: { before: MessageView; after: MessageView }[];
}

export interface KeyDiff {
  key: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  /** The changes under the key, at most `maxChanges`; for a messages list, none (see `messages`). */
  changes: ValueChange[];
  /** Changes left out past `maxChanges`. */
  truncated: number;
  /** Set for a messages list (the key `messages`, or one named in `messageKeys`). */
  messages?: MessagesDiff;
  /** Set when the key's values were bigger than the budget: nothing was compared. */
  tooLarge?: { nodes: number; budget: number };
}

export interface DiffOptions {
  /** JSON nodes (values, keys' values, items) to look at, at most. */
  budget?: number;
  /** Keys holding LangChain messages. Default ['messages']. */
  messageKeys?: readonly string[];
  /** At most this many changes per key. Default 200. */
  maxChanges?: number;
}

/** Top-level comparison: about a 5 MB state's worth of nodes. */
export const KEYS_BUDGET = 200_000;
/** One key's deep diff, by default. */
export const KEY_BUDGET = 100_000;
const MAX_CHANGES = 200;
/** A state that is not a JSON object (a graph whose state is a list, say) is one key of this name. */
export const VALUES_KEY = '(values)';

function asKeys(values: unknown): Record<string, unknown> {
  if (isRecord(values)) return values;
  return values === null || values === undefined ? {} : { [VALUES_KEY]: values };
}

/** Which top-level keys differ. Compares key by key, until `budget` nodes are spent. */
export function diffKeys(before: unknown, after: unknown, { budget = KEYS_BUDGET }: Pick<DiffOptions, 'budget'> = {}): StateKeysDiff {
  const a = asKeys(before);
  const b = asKeys(after);
  const out: StateKeysDiff = { added: [], removed: [], changed: [], unchecked: [], same: 0 };
  const left = { nodes: budget };
  for (const key of Object.keys(a)) {
    if (!(key in b)) {
      out.removed.push(key);
      continue;
    }
    const equal = left.nodes > 0 ? sameWithin(a[key], b[key], left) : undefined;
    if (equal === undefined) out.unchecked.push(key);
    else if (equal) out.same++;
    else out.changed.push(key);
  }
  for (const key of Object.keys(b)) if (!(key in a)) out.added.push(key);
  return out;
}

/** One key's changes, deep; a messages list as messages. Nothing compared past the budget. */
export function diffKey(before: unknown, after: unknown, key: string, options: DiffOptions = {}): KeyDiff {
  const { budget = KEY_BUDGET, messageKeys = ['messages'], maxChanges = MAX_CHANGES } = options;
  const a = asKeys(before);
  const b = asKeys(after);
  const had = key in a;
  const has = key in b;
  const kind = !had && !has ? 'same' : !had ? 'added' : !has ? 'removed' : 'changed';
  const result: KeyDiff = { key, kind, changes: [], truncated: 0 };
  if (!had && !has) return result;
  const nodes = countNodes(a[key], budget + 1) + countNodes(b[key], budget + 1);
  if (nodes > budget) return { ...result, tooLarge: { nodes, budget } };

  const oldList = had ? a[key] : [];
  const newList = has ? b[key] : [];
  if (messageKeys.includes(key) && Array.isArray(oldList) && Array.isArray(newList)) {
    const messages = diffMessages(oldList, newList);
    const same = messages.added.length + messages.removed.length + messages.changed.length === 0;
    return { ...result, kind: same && kind === 'changed' ? 'same' : kind, messages };
  }
  let changes: ValueChange[];
  if (!had) changes = [{ kind: 'added', path: [key], after: b[key] }];
  else if (!has) changes = [{ kind: 'removed', path: [key], before: a[key] }];
  else if (isContainer(a[key]) && isContainer(b[key]) && Array.isArray(a[key]) === Array.isArray(b[key])) {
    changes = diff(a[key], b[key], { cyclesFix: false }).map((d): ValueChange => ({
      kind: d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed',
      path: [key, ...d.path],
      ...(d.type === 'CREATE' ? {} : { before: d.oldValue }),
      ...(d.type === 'REMOVE' ? {} : { after: d.value }),
    }));
  } else changes = Object.is(a[key], b[key]) ? [] : [{ kind: 'changed', path: [key], before: a[key], after: b[key] }];
  return {
    ...result,
    kind: changes.length === 0 && kind === 'changed' ? 'same' : kind,
    changes: changes.slice(0, maxChanges),
    truncated: Math.max(0, changes.length - maxChanges),
  };
}

/**
 * Two message lists compared by id: added (in the newer list, not the older), removed, changed
 * (same id, other content). Messages without an id are matched by position.
 */
export function diffMessages(before: readonly unknown[], after: readonly unknown[]): MessagesDiff {
  const oldById = new Map<string, { raw: unknown; index: number }>();
  before.forEach((raw, index) => {
    const id = idOf(raw);
    if (id !== undefined && !oldById.has(id)) oldById.set(id, { raw, index });
  });
  const out: MessagesDiff = { added: [], removed: [], changed: [] };
  const kept = new Set<string>();
  after.forEach((raw, index) => {
    const id = idOf(raw);
    if (id === undefined) {
      const old = before[index];
      if (idOf(old) === undefined && index < before.length && sameWithin(old, raw, { nodes: Infinity })) return;
      out.added.push(normalizeMessage(raw, index));
      if (index < before.length && idOf(old) === undefined) out.removed.push(normalizeMessage(old, index));
      return;
    }
    const old = oldById.get(id);
    if (!old) {
      out.added.push(normalizeMessage(raw, index));
      return;
    }
    kept.add(id);
    if (!sameWithin(old.raw, raw, { nodes: Infinity })) out.changed.push({ before: normalizeMessage(old.raw, old.index), after: normalizeMessage(raw, index) });
  });
  for (const [id, old] of oldById) if (!kept.has(id)) out.removed.push(normalizeMessage(old.raw, old.index));
  out.removed.sort((x, y) => x.index - y.index);
  return out;
}

function idOf(message: unknown): string | undefined {
  return isRecord(message) && typeof message.id === 'string' && message.id ? message.id : undefined;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Deep equality of JSON values; undefined once `left.nodes` is spent (or past 1,000 levels). */
function sameWithin(a: unknown, b: unknown, left: { nodes: number }, depth = 0): boolean | undefined {
  if (--left.nodes < 0 || depth > 1_000) return undefined;
  if (Object.is(a, b)) return true;
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const same = sameWithin(a[i], b[i], left, depth + 1);
      if (same !== true) return same;
    }
    return true;
  }
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    const same = sameWithin((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], left, depth + 1);
    if (same !== true) return same;
  }
  return true;
}

/** Deeper than this, a value is not diffed (microdiff recurses once per level). */
const MAX_DEPTH = 500;

/**
 * JSON nodes in a value, counted up to `limit` (then `limit`: enough to know it is too big); a
 * value nested deeper than MAX_DEPTH counts as `limit` too.
 */
export function countNodes(value: unknown, limit: number): number {
  let count = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (++count >= limit || depth > MAX_DEPTH) return limit;
    if (!isContainer(v)) continue;
    for (const item of Array.isArray(v) ? v : Object.values(v)) {
      if (count + stack.length >= limit) return limit;
      stack.push([item, depth + 1]);
    }
  }
  return count;
}
