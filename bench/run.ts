/**
 * `npm run bench`: runs every `*.bench.js` next to this file (or those named on the command line)
 * and prints their tables. Each bench measures our code side by side with a baseline (the official
 * SDK, a naive client) in the same run, against a real Agent Server it starts itself, because these
 * machines are noisy. Results are recorded by hand in BENCHMARKS.md with the date and machine.
 * Benches that talk to a server measure on each Agent Server asked for, in the same run, a row
 * per server: `--server js|python|both` (default both).
 * Usage: node out/bench/run.js [--server js|python|both] [name…]
 */
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ServerKind } from '../test/harness/agentServer';

export interface BenchContext {
  /** The Agent Servers to measure on, in this order (`--server`). */
  servers: readonly ServerKind[];
  /** Prints a titled table: the first row is the header. */
  table(title: string, rows: (string | number)[][]): void;
  note(text: string): void;
}

export type Bench = (ctx: BenchContext) => Promise<void>;

function table(title: string, rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  console.log(`\n### ${title}\n`);
  cells.forEach((row, i) => {
    console.log(`| ${row.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
    if (i === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  });
}

/** `--server js|python|both` (or `--server=…`) out of the arguments; the rest are bench names. */
function parseArgs(argv: string[]): { servers: ServerKind[]; only: string[] } {
  const only: string[] = [];
  let server = 'both';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--server') server = argv[++i] ?? '';
    else if (arg.startsWith('--server=')) server = arg.slice('--server='.length);
    else only.push(arg);
  }
  const servers: Record<string, ServerKind[]> = { js: ['js'], python: ['python'], both: ['js', 'python'] };
  if (!servers[server]) throw new Error(`--server must be js, python or both, not "${server}"`);
  return { servers: servers[server]!, only };
}

async function main(): Promise<void> {
  const { servers, only } = parseArgs(process.argv.slice(2));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  console.log(`# npm run bench — ${new Date().toISOString()}`);
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`Agent Servers: ${servers.join(', ')}`);
  const ctx: BenchContext = { servers, table, note: (t) => console.log(`\n${t}`) };
  for (const file of files) {
    console.log(`\n## ${file.replace(/\.bench\.js$/, '')}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench files are found at run time, in the built out/bench/ (CJS).
    const bench = (require(join(__dirname, file)) as { default: Bench }).default;
    await bench(ctx);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
