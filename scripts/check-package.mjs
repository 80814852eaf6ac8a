// Builds the .vsix and checks what it holds: the bundled extension and webview scripts, media, manifest and docs;
// no node_modules, no sources, no tests, no source maps. Prints the sizes.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

const vsix = 'langgraph-deployments.vsix';
execFileSync('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
const files = listing.filter((f) => f.startsWith('extension/'));
const forbidden = files.filter((f) => /node_modules\/|\/src\/|\/test\/|\.ts$|\.map$|\/out\//.test(f));
const scripts = files.filter((f) => f.endsWith('.js'));
const problems = [];
if (forbidden.length) problems.push(`must not be packaged: ${forbidden.join(', ')}`);
// The extension bundle, its schema-check worker (a worker thread of the extension host), and the
// webview scripts of the thread panel and the graph panel (they run in webviews, not in Node).
const expected = ['extension/dist/extension.js', 'extension/dist/schemaCheck.worker.js', 'extension/dist/webview.js', 'extension/dist/graph.js'];
if (scripts.length !== expected.length || !expected.every((s) => scripts.includes(s))) problems.push(`expected the scripts ${expected.join(', ')}; found ${scripts.join(', ')}`);
// Every JSON Schema the manifest contributes (run files, langgraph.json) ships in the .vsix.
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const schemas = (manifest.contributes.jsonValidation ?? []).map((v) => `extension/${v.url.replace(/^\.\//, '')}`);
const missingSchemas = schemas.filter((f) => !files.includes(f));
if (missingSchemas.length) problems.push(`the contributed JSON Schemas are not packaged: ${missingSchemas.join(', ')}`);
const bundle = statSync('dist/extension.js').size;
const webview = statSync('dist/webview.js').size;
const worker = statSync('dist/schemaCheck.worker.js').size;
const graph = statSync('dist/graph.js').size;
console.log(
  `package: ${vsix} ${(statSync(vsix).size / 1024).toFixed(1)} KB, ${files.length} files; bundle ${(bundle / 1024).toFixed(1)} KB minified; ` +
    `schema-check worker ${(worker / 1024).toFixed(1)} KB minified; webview ${(webview / 1024).toFixed(1)} KB minified; graph page ${(graph / 1024).toFixed(1)} KB minified`,
);
console.log(files.map((f) => `  ${f}`).join('\n'));
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
