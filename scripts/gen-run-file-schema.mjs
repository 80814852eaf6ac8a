// Writes media/run-file.schema.json from the run file's zod schema (src/core/runFile/schema.ts),
// so that the editor's checks for *.run.json files and the extension's own checks never drift.
// Run by esbuild.mjs on every build; `node scripts/gen-run-file-schema.mjs` runs it alone.
// test/unit/runFileJsonSchema.test.ts fails when the committed file is out of date.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function generateRunFileSchema() {
  const bundle = join(root, 'out/gen/run-file-schema.cjs');
  mkdirSync(dirname(bundle), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'src/core/runFile/jsonSchema.ts')],
    bundle: true,
    outfile: bundle,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  delete require.cache[bundle];
  const { runFileJsonSchemaText, RUN_FILE_SCHEMA_PATH } = require(bundle);
  const target = join(root, RUN_FILE_SCHEMA_PATH);
  const text = runFileJsonSchemaText();
  // Written only when it changed, so a build does not touch the file (or its mtime) for nothing.
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await generateRunFileSchema();
