/**
 * Turns an error response body into words. The JS Agent Server answers errors as plain text
 * ("Thread with ID … not found") or zod validation errors (`{"success":false,"error":{"issues":[…]}}`,
 * 400); the Python one (and the platform) as JSON `{"detail": …}`, its request validation as 422
 * with jsonschema's text in `detail`, and FastAPI's own as a list of `{loc, msg, type}`. Either
 * way a refused field comes out as an issue with its path, in the same words. Proxies in front of
 * a deployment add another shape: an HTML page.
 */
import { isRecord } from '../shared/isRecord';
import { clip } from '../shared/text';
import type { ServerIssue } from './errors';

export interface ErrorBody {
  message: string;
  issues: ServerIssue[];
}

export function describeErrorBody(text: string, contentType: string | undefined): ErrorBody {
  const body = text.trim();
  if (!body) return { message: '', issues: [] };
  if (looksLikeHtml(body, contentType)) return { message: describeHtml(body), issues: [] };
  const json = tryJson(body);
  if (json !== undefined) return describeJson(json);
  return { message: clip(body), issues: [] };
}

/** A 2xx body that should have been JSON and was not: say what it was instead. */
export function describeUnexpectedBody(text: string, contentType: string | undefined): string {
  const body = text.trim();
  if (!body) return 'an empty body';
  if (looksLikeHtml(body, contentType)) return describeHtml(body);
  return `text that is not JSON: "${clip(body, 120)}"`;
}

function describeJson(json: unknown): ErrorBody {
  if (typeof json === 'string') return { message: clip(json), issues: [] };
  if (!isRecord(json)) return { message: clip(JSON.stringify(json)), issues: [] };

  const zodIssues = findZodIssues(json);
  if (zodIssues) {
    const issues = flattenIssues(zodIssues);
    const message = issues.map(issueText).join('; ');
    return { message: clip(message || 'invalid request'), issues };
  }
  if ('detail' in json) return describeDetail(json.detail);
  for (const key of ['message', 'error'] as const) {
    const value = json[key];
    if (typeof value === 'string' && value) return { message: clip(value), issues: [] };
    if (isRecord(value) && typeof value.message === 'string') return { message: clip(value.message), issues: [] };
  }
  return { message: clip(JSON.stringify(json)), issues: [] };
}

/**
 * FastAPI's `detail`: a string (jsonschema's text when the Python server refuses a request body),
 * or a list of `{loc, msg, type}` for validation errors (pydantic).
 */
function describeDetail(detail: unknown): ErrorBody {
  if (typeof detail === 'string') {
    const issue = jsonSchemaIssue(detail);
    return issue ? { message: clip(issueText(issue)), issues: [issue] } : { message: clip(detail), issues: [] };
  }
  if (Array.isArray(detail)) {
    const issues = detail.filter(isRecord).map((d) => ({
      path: Array.isArray(d.loc) ? d.loc.filter((p, i) => i > 0 || !LOC_SOURCES.has(String(p))).join('.') : '',
      message: typeof d.msg === 'string' ? d.msg : JSON.stringify(d),
    }));
    return { message: clip(issues.map(issueText).join('; ')), issues };
  }
  if (isRecord(detail) && typeof detail.message === 'string') return { message: clip(detail.message), issues: [] };
  return { message: clip(JSON.stringify(detail)), issues: [] };
}

/** Where FastAPI found the value (`loc[0]`), not part of the field's path. */
const LOC_SOURCES = new Set(['body', 'query', 'path', 'header', 'cookie']);

function issueText(issue: ServerIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/**
 * jsonschema's validation error as text (the Python server's 422):
 * `<message>\n\nFailed validating "<keyword>" in schema[…]\n\nOn instance["config"]["recursion_limit"]:\n    <value>`.
 * The message, and the path of the refused value; for a missing property the path names it
 * (`"assistant_id" is a required property` at the top → `assistant_id`). Undefined for other text.
 */
function jsonSchemaIssue(text: string): ServerIssue | undefined {
  const match = /^([\s\S]*?)\n\s*\nFailed validating [\s\S]*?\n\s*\nOn instance((?:\[[^\n]*?\])*):/.exec(text);
  if (!match) return undefined;
  const path = instancePath(match[2]!);
  let message = match[1]!.trim();
  const required = /^(["'])((?:\\.|(?!\1).)*)\1 is a required property$/.exec(message);
  if (required) {
    path.push(unescape(required[2]!));
    message = 'is a required property';
  }
  return { path: path.join('.'), message: clip(message, 300) };
}

/** `["config"][0]['x']` → ["config", "0", "x"]. */
function instancePath(text: string): string[] {
  const parts: string[] = [];
  for (const m of text.matchAll(/\[(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|(-?\d+))\]/g)) {
    parts.push(m[3] ?? unescape(m[1] ?? m[2] ?? ''));
  }
  return parts;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function findZodIssues(json: Record<string, unknown>): unknown[] | undefined {
  if (Array.isArray(json.issues)) return json.issues;
  const error = json.error;
  if (isRecord(error) && Array.isArray(error.issues)) return error.issues;
  return undefined;
}

/**
 * zod 3 reports a failed union as one issue holding `unionErrors`; the useful words are inside.
 * Keep the first branch's issues (they name the missing field) and drop duplicates.
 */
function flattenIssues(raw: unknown[]): ServerIssue[] {
  const out: ServerIssue[] = [];
  const seen = new Set<string>();
  const visit = (issue: unknown): void => {
    if (!isRecord(issue)) return;
    const unionErrors = issue.unionErrors ?? issue.errors;
    if (issue.code === 'invalid_union' && Array.isArray(unionErrors) && unionErrors.length > 0) {
      const first = unionErrors[0];
      const nested = isRecord(first) && Array.isArray(first.issues) ? first.issues : Array.isArray(first) ? first : [];
      if (nested.length > 0) return nested.forEach(visit);
    }
    const path = Array.isArray(issue.path) ? issue.path.map(String).join('.') : '';
    const message = typeof issue.message === 'string' ? issue.message : JSON.stringify(issue);
    const key = `${path}\u0000${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path, message });
    }
  };
  raw.forEach(visit);
  return out;
}

function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  return /text\/html/i.test(contentType ?? '') || /^<(!doctype html|html|head|body)\b/i.test(body);
}

function describeHtml(body: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  const heading = /<h1[^>]*>([^<]*)<\/h1>/i.exec(body)?.[1]?.trim();
  const name = decodeEntities(title || heading || '');
  return name
    ? `an HTML page ("${clip(name, 120)}"), not the Agent Server API: is a proxy or login page in the way?`
    : 'an HTML page, not the Agent Server API: is a proxy or login page in the way?';
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function tryJson(text: string): unknown {
  if (!/^[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

