/**
 * JUnit XML for CI systems: one <testcase> per run file, a <failure> with the words of every
 * failed expectation (and their expected/actual), an <error> for a file that could not run or is
 * not a valid run file. Every text is escaped, and characters XML 1.0 cannot hold are dropped.
 */
import type { FileResult } from '../core/runFile/runAsTest';

export type JunitCase = Pick<FileResult, 'name' | 'verdict' | 'elapsedMs' | 'results' | 'error' | 'threadId' | 'runId'>;

// Tab, newline and carriage return are the only C0 controls XML 1.0 allows; lone surrogates and U+FFFE/U+FFFF neither.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function junitXml(suite: string, cases: readonly JunitCase[], totalMs: number): string {
  const failures = cases.filter((c) => c.verdict === 'fail').length;
  const errors = cases.filter((c) => c.verdict === 'error').length;
  const head = `tests="${cases.length}" failures="${failures}" errors="${errors}" time="${seconds(totalMs)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="run files" ${head}>`,
    `  <testsuite name="${xmlEscape(suite)}" ${head} timestamp="${new Date().toISOString().replace(/\.\d+Z$/, '')}">`,
    ...cases.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function testcase(c: JunitCase): string {
  const dir = c.name.includes('/') ? c.name.slice(0, c.name.lastIndexOf('/')).replace(/\//g, '.') : 'run-files';
  const open = `    <testcase name="${xmlEscape(c.name)}" classname="${xmlEscape(dir)}" time="${seconds(c.elapsedMs)}"`;
  const body: string[] = [];
  if (c.verdict === 'error') body.push(`      <error message="${xmlEscape(c.error ?? 'could not run')}" type="error">${xmlEscape(c.error ?? '')}</error>`);
  const failed = c.results.filter((r) => !r.pass);
  if (c.verdict === 'fail' && failed.length > 0) {
    const details = failed.map((r) => `${r.name}: ${r.message}\n  expected: ${r.expected ?? ''}\n  actual: ${r.actual ?? ''}`).join('\n\n');
    body.push(`      <failure message="${xmlEscape(failed[0]!.message)}" type="expectation">${xmlEscape(details)}</failure>`);
  }
  const out = [c.threadId ? `thread ${c.threadId}` : '', c.runId ? `run ${c.runId}` : '', ...c.results.map((r) => `${r.pass ? 'pass' : 'FAIL'} ${r.name}: ${r.message}`)].filter(Boolean);
  if (out.length > 0) body.push(`      <system-out>${xmlEscape(out.join('\n'))}</system-out>`);
  return body.length === 0 ? `${open} />` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}
