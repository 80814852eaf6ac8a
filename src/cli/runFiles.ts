/**
 * `npm run run-files -- <folder> --url <deployment> [--junit out.xml] [--concurrency N]
 * [--api-key-env NAME]`: run files as tests outside the editor (bundled by esbuild.mjs into
 * dist/run-files.js). One line per file, a summary, exit 0 when all pass, 1 when any fails, 2 for
 * a usage error or an invalid run file (then nothing is sent). Only the deployment named by
 * --url is contacted. No vscode import.
 */
import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AgentServerClient } from '../api';
import type { RunFileProblem } from '../core/runFile';
import { firstFailure } from '../core/runFile/expectations';
import { clip, plural } from '../shared/text';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './args';
import { junitXml, type JunitCase } from './junit';
import { findRunFiles, limiter, loadRunFile, runFileAsTest, trackerFor, type FileResult, type TestRunner } from '../core/runFile/runAsTest';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseCliArgs(argv, io.env);
    if (parsed === 'help') {
      io.out(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`run-files: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const folder = resolve(options.folder);
  const isFolder = await stat(folder).then((s) => s.isDirectory(), () => false);
  if (!isFolder) {
    io.err(`run-files: ${options.folder} is not a folder`);
    return 2;
  }
  const found = await findRunFiles(folder);
  if (found.length === 0) {
    io.err(`run-files: no *.run.json files under ${options.folder}`);
    return 2;
  }
  const loaded = await Promise.all(found.map(loadRunFile));
  const invalid = loaded.flatMap((f) => (f.ok ? [] : f.problems.map((p) => ({ name: f.name, problem: p }))));
  if (invalid.length > 0) {
    // As a compiler says it (file:line:column), so that editors and CI logs link to the place.
    const folderName = options.folder.replace(/\/$/, '');
    for (const { name, problem } of invalid) io.err(`${folderName}/${problemLine(name, problem)}`);
    const files = new Set(invalid.map((i) => i.name)).size;
    io.err(`run-files: ${plural(files, 'invalid run file')}; nothing was sent.`);
    if (options.junit) {
      const cases: JunitCase[] = loaded.map((f) =>
        f.ok
          ? { name: f.name, verdict: 'error', elapsedMs: 0, results: [], error: 'not run: another file of the folder is invalid' }
          : { name: f.name, verdict: 'error', elapsedMs: 0, results: [], error: f.problems.map((p) => problemLine(f.name, p)).join('\n') },
      );
      await writeFile(options.junit, junitXml(options.folder, cases, 0));
    }
    return 2;
  }

  const client = new AgentServerClient({ url: options.url, ...(options.apiKey ? { apiKey: () => options.apiKey } : {}), userAgent: 'langgraph-run-files' });
  // The extension's way: every run on the server at once, followed by a tracker (at most MAX_OPEN_JOINS joins).
  const tracker = trackerFor(client);
  const started = performance.now();
  try {
    const runnable = loaded.flatMap((f) => (f.ok ? [{ name: f.name, file: f.file }] : []));
    const runner: TestRunner = { client, deploymentUrl: options.url, tracker, requests: limiter(options.concurrency) };
    const results = await Promise.all(
      runnable.map(async ({ name, file }) => {
        const result = await runFileAsTest(runner, name, file, options.assistant);
        io.out(lineOf(result));
        return result;
      }),
    );
    const totalMs = performance.now() - started;
    io.out(summaryOf(results, totalMs));
    if (options.junit) await writeFile(options.junit, junitXml(options.folder, results, totalMs));
    return results.every((r) => r.verdict === 'pass') ? 0 : 1;
  } finally {
    tracker.dispose();
    await client.close();
  }
}

/** `name:line:column: message`, as compilers say it. */
function problemLine(name: string, problem: RunFileProblem): string {
  return `${name}:${problem.line}:${problem.column}: ${problem.message}`;
}

/** `✓ weather.run.json  1.2 s` or `✗ wrong.run.json  0.8 s  lastMessage.contains: …`. */
export function lineOf(result: FileResult): string {
  const took = `${(result.elapsedMs / 1000).toFixed(1)} s`;
  if (result.verdict === 'pass') return `✓ ${result.name}  ${took}`;
  const why = result.verdict === 'error' ? `could not run: ${result.error}` : firstFailure(result.results)?.message ?? 'failed';
  return `✗ ${result.name}  ${took}  ${clip(why, 300)}`;
}

export function summaryOf(results: readonly FileResult[], totalMs: number): string {
  const passed = results.filter((r) => r.verdict === 'pass').length;
  const failed = results.filter((r) => r.verdict === 'fail').length;
  const errors = results.length - passed - failed;
  const parts = [`${passed} passed`, `${failed} failed`, ...(errors > 0 ? [`${errors} could not run`] : [])];
  return `${parts.join(', ')} (${plural(results.length, 'file')}) in ${(totalMs / 1000).toFixed(1)} s`;
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`run-files: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}
