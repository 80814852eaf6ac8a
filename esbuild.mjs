// Builds the extension. Five outputs:
//   dist/extension.js  the extension, bundled to one CommonJS file (vscode external);
//                      sourcemaps in dev, minified with --production (what the .vsix ships).
//   dist/schemaCheck.worker.js  the worker thread that checks run inputs against an assistant's
//                      input schema (src/core/runFile/schemaCheck.worker.ts, with @cfworker/json-schema),
//                      started by the extension from next to dist/extension.js.
//   dist/webview.js    the thread panel's script (src/webview/main.ts) for the browser: one IIFE,
//                      loaded by the webview under its CSP nonce; minified with --production.
//   dist/graph.js      the graph panel's page (src/webview-graph/main.ts) for the browser: one IIFE with
//                      its layout library (@dagrejs/dagre), which ships in this bundle only.
//   dist/run-files.js  the command-line runner of run files as tests (src/cli/runFiles.ts, no vscode;
//                      `npm run run-files`); not in the .vsix (.vscodeignore lists what is).
//   out/               src/, test/ and bench/ transpiled file by file (no bundle) for mocha, so tests can
//                      load any module on its own; test/fixtures is left alone (the Agent Server runs it).
// Type checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateRunFileSchema } from './scripts/gen-run-file-schema.mjs';

const production = process.argv.includes('--production');
const testsToo = process.argv.includes('--tests');

function tsFiles(dir, skip) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (skip.some((s) => path.startsWith(s))) return [];
    if (statSync(path).isDirectory()) return tsFiles(path, skip);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

// media/run-file.schema.json, generated from the run file's zod schema (contributed for *.run.json).
await generateRunFileSchema();

await esbuild.build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  // ESM first: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  legalComments: production ? 'none' : 'inline',
  metafile: true,
  logLevel: 'warning',
});

// Scripts Node runs on their own: the schema-check worker, the command-line runner.
const nodeScript = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
};

await esbuild.build({ ...nodeScript, entryPoints: ['src/core/runFile/schemaCheck.worker.ts'], outfile: 'dist/schemaCheck.worker.js' });

// The webviews' pages: one IIFE each for the browser, loaded under the page's CSP nonce.
const page = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome120'],
  mainFields: ['module', 'main'],
  sourcemap: production ? false : 'inline',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
};

await esbuild.build({ ...page, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' });

await esbuild.build({ ...page, entryPoints: ['src/webview-graph/main.ts'], outfile: 'dist/graph.js' });

await esbuild.build({ ...nodeScript, entryPoints: ['src/cli/runFiles.ts'], outfile: 'dist/run-files.js' });

if (testsToo) {
  await esbuild.build({
    entryPoints: [...tsFiles('src', []), ...tsFiles('test', ['test/fixtures']), ...tsFiles('bench', [])],
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

// out/ is overwritten in place (a suite running from it while another build runs keeps working);
// only files whose source is gone are removed, so a deleted test does not run on.
function removeStale(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) removeStale(path);
    else if (path.endsWith('.js') && !existsSync(path.slice('out/'.length).replace(/\.js$/, '.ts'))) rmSync(path);
  }
}
if (testsToo) removeStale('out');
