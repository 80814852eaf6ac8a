/**
 * A run file's `expect` (expectationsSchema.ts) checked against how its run ended: one result per
 * expectation, pass or fail, in words, and for a failure `expected` and `actual` texts to show as
 * a diff. Nothing here throws for a state it cannot read: a path that is not there fails, with
 * words. No vscode, no DOM, no network; the command-line runner (src/cli) and, later, the Testing
 * view call it with what they read from the server.
 */
import { isDeepStrictEqual } from 'node:util';
import { isRecord } from '../../shared/isRecord';
import { clip, plural } from '../../shared/text';
import { lastAssistantMessage, messagesOf, normalizeMessages, prettyJson, type MessageView } from '../messages';
import { RUN_WORDS, type RunOutcome } from '../runOutcome';
import { expectRegExp, parseStatePath, type Expectations, type TextCheck, type ToolCallCheck, type ValueCheck } from './expectationsSchema';
import { formatPath, type JsonPath } from './problems';

/** How a run ended, as the caller read it from the server. */
export interface RunEnd {
  /** From outcomeOf (runOutcome.ts): the one outcome vocabulary. */
  outcome: RunOutcome;
  /** The server's error message, for a failed run. */
  error?: string;
  /** The thread's final state values. */
  values: unknown;
  /** The values of the interrupts the run stopped at (the first is the one checked). */
  interrupts: readonly unknown[];
  elapsedMs: number;
  /** The caller stopped waiting at the time limit: the run had not ended. */
  timedOut?: boolean;
}

export interface ExpectationResult {
  /** Which expectation, as the file names it: `status`, `lastMessage.contains`, `values["messages"].length`. */
  name: string;
  pass: boolean;
  /** What was found, in words: "status is success", or why it failed. */
  message: string;
  /** For a failure: what was expected and what the run had, as texts to diff. */
  expected?: string;
  actual?: string;
}

export type ExpectedStatus = NonNullable<Expectations['status']>;

/** The run statuses `expect.status` names, as the outcome vocabulary reads them. */
const STATUS_OF: Partial<Record<RunOutcome, ExpectedStatus>> = { succeeded: 'success', 'needs-input': 'interrupted', failed: 'error' };

/** The status a file expects: its `status`, else what its `interrupt` or `error` imply, else success (a smoke test). */
export function expectedStatus(expect: Expectations | undefined): ExpectedStatus {
  return expect?.status ?? (expect?.interrupt ? 'interrupted' : expect?.error ? 'error' : 'success');
}

/** Every expectation of the file, checked; a file without `expect` passes when its run succeeds. */
export function evaluateExpectations(expect: Expectations | undefined, end: RunEnd): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  if (end.timedOut || expect?.timeoutSeconds !== undefined) results.push(checkTime(expect?.timeoutSeconds, end));
  // A run that did not end has no final state to check.
  if (end.timedOut) return results;
  results.push(checkStatus(expectedStatus(expect), end));
  if (!expect) return results;
  const messages = normalizeMessages(messagesOf(end.values));
  if (expect.lastMessage) results.push(...checkLastMessage(expect.lastMessage, messages));
  for (const [path, check] of Object.entries(expect.values ?? {})) results.push(...checkStatePath(path, check, end.values));
  for (const call of expect.toolCalls ?? []) results.push(checkToolCall(call, messages));
  if (expect.interrupt) {
    const found = end.interrupts.length > 0;
    const missing = 'the run did not stop at an interrupt';
    results.push(...checkValue('interrupt', expect.interrupt, found, end.interrupts[0], missing));
  }
  if (expect.error) {
    const message = end.error;
    if (message === undefined) results.push(fail('error', `the run did not fail (it ${RUN_WORDS[end.outcome].says})`, describeChecks(expect.error), '(no error)'));
    else results.push(...checkText('error', expect.error, message));
  }
  return results;
}

/** The first failure, or undefined when every expectation passed. */
export function firstFailure(results: readonly ExpectationResult[]): ExpectationResult | undefined {
  return results.find((r) => !r.pass);
}

function checkTime(limitSeconds: number | undefined, end: RunEnd): ExpectationResult {
  const took = seconds(end.elapsedMs);
  const limit = limitSeconds === undefined ? 'the time limit' : `${limitSeconds} s`;
  if (end.timedOut) return fail('timeoutSeconds', `the run had not ended after ${limit} (waited ${took})`, `at most ${limit}`, `more than ${took}`);
  if (limitSeconds !== undefined && end.elapsedMs > limitSeconds * 1000) {
    return fail('timeoutSeconds', `the run took ${took}, more than ${limit}`, `at most ${limit}`, took);
  }
  return pass('timeoutSeconds', `the run took ${took} (limit ${limit})`);
}

function checkStatus(expected: ExpectedStatus, end: RunEnd): ExpectationResult {
  const actual = STATUS_OF[end.outcome];
  if (actual === expected) return pass('status', `status is ${expected}`);
  const words = RUN_WORDS[end.outcome].says;
  const why = end.error !== undefined ? `: ${clip(end.error, 300)}` : '';
  return fail('status', `expected status ${expected}, but the run ${words}${why}`, expected, actual ?? RUN_WORDS[end.outcome].word);
}

function checkLastMessage(check: TextCheck, messages: readonly MessageView[]): ExpectationResult[] {
  const last = lastAssistantMessage(messages);
  if (!last) return [fail('lastMessage', `the state has no assistant message (${plural(messages.length, 'message')})`, describeChecks(check), '(no assistant message)')];
  return checkText('lastMessage', check, last.text);
}

/** contains / matches / equals on a text: one result each. */
function checkText(name: string, check: TextCheck, text: string): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  if (check.contains !== undefined) {
    results.push(
      text.includes(check.contains)
        ? pass(`${name}.contains`, `${name} contains ${JSON.stringify(check.contains)}`)
        : fail(`${name}.contains`, `${name} does not contain ${JSON.stringify(check.contains)}: ${quote(text)}`, check.contains, text),
    );
  }
  if (check.matches !== undefined) results.push(checkMatch(`${name}.matches`, name, check.matches, text));
  if (check.equals !== undefined) {
    results.push(
      text === check.equals
        ? pass(`${name}.equals`, `${name} is ${JSON.stringify(check.equals)}`)
        : fail(`${name}.equals`, `${name} is not ${JSON.stringify(check.equals)}: ${quote(text)}`, check.equals, text),
    );
  }
  return results;
}

function checkMatch(name: string, what: string, pattern: string, text: string): ExpectationResult {
  let regex: RegExp;
  try {
    regex = expectRegExp(pattern);
  } catch (error) {
    // The schema refuses these; a caller that skipped it still gets words, not a throw.
    return fail(name, `${pattern} is not a valid regular expression: ${(error as Error).message}`, pattern, text);
  }
  return regex.test(text) ? pass(name, `${what} matches ${pattern}`) : fail(name, `${what} does not match ${pattern}: ${quote(text)}`, `matching ${pattern}`, text);
}

function checkStatePath(pathText: string, check: ValueCheck, values: unknown): ExpectationResult[] {
  const parsed = parseStatePath(pathText);
  const label = `values[${JSON.stringify(pathText)}]`;
  if (!Array.isArray(parsed)) return [fail(label, parsed.problem, pathText, '(not a path)')];
  const found = lookup(values, parsed);
  return found.found ? checkValue(label, check, true, found.value, '') : checkValue(label, check, false, undefined, found.why);
}

/** The checks of a ValueCheck on one value (`found` false: nothing is there, `missing` says why). */
function checkValue(name: string, check: ValueCheck, found: boolean, value: unknown, missing: string): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  if (check.exists !== undefined) {
    results.push(
      found === check.exists
        ? pass(`${name}.exists`, found ? `${name} is there` : `${name} is not there`)
        : found
          ? fail(`${name}.exists`, `${name} is there, but should not be`, '(nothing)', prettyJson(value))
          : fail(`${name}.exists`, missing, '(a value)', '(nothing)'),
    );
  }
  const rest = Object.entries(check).filter(([key, v]) => key !== 'exists' && v !== undefined);
  if (rest.length === 0) return results;
  if (!found) return [...results, fail(name, missing, describeChecks(check), '(nothing)')];
  const shown = prettyJson(value);
  const brief = clip(JSON.stringify(value) ?? String(value), 200);
  if (check.equals !== undefined) {
    results.push(
      isDeepStrictEqual(value, check.equals)
        ? pass(`${name}.equals`, `${name} equals ${clip(JSON.stringify(check.equals), 100)}`)
        : fail(`${name}.equals`, `${name} is not equal to ${clip(JSON.stringify(check.equals), 100)}: ${brief}`, prettyJson(check.equals), shown),
    );
  }
  if (check.contains !== undefined) {
    results.push(
      containsValue(value, check.contains)
        ? pass(`${name}.contains`, `${name} contains ${clip(JSON.stringify(check.contains), 100)}`)
        : fail(`${name}.contains`, `${name} does not contain ${clip(JSON.stringify(check.contains), 100)}: ${brief}`, prettyJson(check.contains), shown),
    );
  }
  if (check.matches !== undefined) results.push(checkMatch(`${name}.matches`, name, check.matches, typeof value === 'string' ? value : shown));
  results.push(...checkLength(name, check, value));
  return results;
}

function checkLength(name: string, check: ValueCheck, value: unknown): ExpectationResult[] {
  const bounds = (['length', 'minLength', 'maxLength'] as const).filter((k) => check[k] !== undefined);
  if (bounds.length === 0) return [];
  const size = Array.isArray(value) ? value.length : typeof value === 'string' ? value.length : isRecord(value) ? Object.keys(value).length : undefined;
  const unit = Array.isArray(value) ? 'item' : typeof value === 'string' ? 'character' : 'key';
  return bounds.map((bound) => {
    const want = check[bound]!;
    const label = `${name}.${bound}`;
    if (size === undefined) return fail(label, `${name} has no length: it is ${kindOf(value)}`, `${bound} ${want}`, prettyJson(value));
    const ok = bound === 'length' ? size === want : bound === 'minLength' ? size >= want : size <= want;
    const has = `${name} has ${plural(size, unit)}`;
    const wanted = bound === 'length' ? `exactly ${want}` : bound === 'minLength' ? `at least ${want}` : `at most ${want}`;
    return ok ? pass(label, has) : fail(label, `${has}, expected ${wanted}`, `${bound} ${want}`, `${bound === 'length' ? 'length' : bound} ${size}`);
  });
}

function checkToolCall(check: ToolCallCheck, messages: readonly MessageView[]): ExpectationResult {
  const label = `toolCalls[${JSON.stringify(check.name)}]`;
  const calls = messages.flatMap((m) => m.toolCalls.map((call) => ({ name: call.name, args: parseArgs(call.args) })));
  const named = calls.filter((c) => c.name === check.name);
  const listed = calls.length === 0 ? '(no tool calls)' : calls.map((c) => `${c.name}(${JSON.stringify(c.args)})`).join('\n');
  const wanted = `${check.name}(${check.args ? JSON.stringify(check.args) : '…'})`;
  if (named.length === 0) {
    const made = calls.length === 0 ? 'no tool calls were made' : `the calls made: ${[...new Set(calls.map((c) => c.name))].join(', ')}`;
    return fail(label, `no call of ${check.name}: ${made}`, wanted, listed);
  }
  if (!check.args) return pass(label, `${check.name} was called`);
  const args = check.args;
  if (named.some((c) => subset(c.args, args))) return pass(label, `${check.name} was called with ${JSON.stringify(args)}`);
  return fail(label, `${check.name} was called, but not with ${JSON.stringify(args)}: ${named.map((c) => JSON.stringify(c.args)).join(', ')}`, wanted, listed);
}

/** ToolCallView keeps arguments as pretty JSON (or raw text): back to a value. */
function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `actual` has everything `expected` has: objects by key (others may be there), lists item by item, the rest equal. */
function subset(actual: unknown, expected: unknown): boolean {
  if (isRecord(expected)) return isRecord(actual) && Object.entries(expected).every(([k, v]) => k in actual && subset(actual[k], v));
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => subset(actual[i], v));
  return isDeepStrictEqual(actual, expected);
}

/** A text holds the text; a list holds an item that has it; an object has its keys and values. */
function containsValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
  if (Array.isArray(actual)) return actual.some((item) => subset(item, expected) || (typeof item === 'string' && typeof expected === 'string' && item.includes(expected)));
  return subset(actual, expected);
}

type Lookup = { found: true; value: unknown } | { found: false; why: string };

/** The value at a path of the state; `[-1]` is a list's last item. Why not, when it is not there. */
function lookup(root: unknown, path: JsonPath): Lookup {
  let current = root;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const at = i === 0 ? 'the state' : formatPath(path.slice(0, i));
    const whole = formatPath(path);
    if (typeof part === 'number') {
      if (!Array.isArray(current)) return { found: false, why: `no ${whole}: ${at} is ${kindOf(current)}, not a list` };
      const index = part < 0 ? current.length + part : part;
      if (index < 0 || index >= current.length) return { found: false, why: `no ${whole}: ${at} has ${plural(current.length, 'item')}` };
      current = current[index];
    } else {
      if (!isRecord(current)) return { found: false, why: `no ${whole}: ${at} is ${kindOf(current)}, not an object` };
      if (!Object.hasOwn(current, part)) {
        const keys = Object.keys(current);
        const has = keys.length === 0 ? 'no keys' : `${clip(keys.join(', '), 200)}`;
        return { found: false, why: `no ${whole}: ${at} has ${has}` };
      }
      current = current[part];
    }
  }
  return { found: true, value: current };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `contains "x", matches /y/`: what a check asks, for the expected side of a diff. */
function describeChecks(check: TextCheck | ValueCheck): string {
  return Object.entries(check)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join('\n');
}

function quote(text: string): string {
  return JSON.stringify(clip(text, 200));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function pass(name: string, message: string): ExpectationResult {
  return { name, pass: true, message };
}

function fail(name: string, message: string, expected: string, actual: string): ExpectationResult {
  return { name, pass: false, message, expected, actual };
}
