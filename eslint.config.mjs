// `npm run lint` (and the lint step of `npm test`): typescript-eslint's recommended rules (syntax
// only, not type-checked, so it stays fast) and the import rules that keep the layers of DESIGN.md's
// Architecture. A rule sees an import as written, so the layer rules list relative paths.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const RULE = '@typescript-eslint/no-restricted-imports';

/** `dir` reached from one, two or three folders down, and anything inside it. */
const up = (dir) => ['../', '../../', '../../../'].flatMap((p) => [`${p}${dir}`, `${p}${dir}/**`]);

const noVscode = {
  name: 'vscode',
  message:
    'Only src/ui/** and src/extension.ts import vscode (and test/extension, test/e2e): api, core, webview, shared, the unit and integration tests and the bench run without VS Code.',
};

const apiLayer = {
  group: [...up('core'), ...up('ui'), ...up('webview'), ...up('webview-graph'), ...up('extension')],
  message:
    'src/api imports nothing from src/core, src/ui, src/webview or src/extension.ts (src/shared/* is allowed): it is the Agent Server client and could be published on its own.',
};

const coreToApiIndex = {
  group: [...up('api').filter((p) => p.endsWith('/**'))],
  message:
    "src/core imports src/api only through its public index ('../api', '../../api'); export what you need from src/api/index.ts.",
};

const coreLayer = {
  group: [...up('ui'), ...up('webview'), ...up('webview-graph'), ...up('extension')],
  message: 'src/core imports nothing from src/ui, src/webview(-graph) or src/extension.ts: it is what the extension knows, without VS Code or the page.',
};

// An allow-list: `*` restricts every import, each `!` lets one back in; as in .gitignore, a path is
// let back in only if its folders are too ('.', '..', '../shared').
const webviewLayer = {
  group: ['*', '!.', '!./*', '!..', '!../shared', '!../shared/*', '!markdown-it'],
  message:
    "src/webview imports only src/webview/* (its protocol and itself), src/shared/* and markdown-it: it runs in the browser, so no vscode, no node: built-ins, no src/api, src/core or src/ui (core's DOM-free helpers come through './protocol').",
};

/** The modules of src/core the webview bundles: DOM-free, no vscode, no node, types of src/api only. */
const coreForWebview = ['messages', 'threadView', 'refs', 'safeLinks', 'threadLabels', 'resumeValue', 'live/liveOps', 'history/historyGroups', 'history/branches', 'history/stateDiff', 'graph/breakpoints'];

const protocolLayer = {
  group: [...webviewLayer.group, '!../core', '!../core/live', '!../core/history', '!../core/graph', ...coreForWebview.map((m) => `!../core/${m}`)],
  message: `src/webview/protocol.ts is the webview's one door to src/core, and only to its DOM-free modules (${coreForWebview.join(', ')}); otherwise it imports only src/webview/*, src/shared/* and markdown-it.`,
};

// The graph panel's page (src/webview-graph/): the same rules as the thread page, and its layout library.
const graphPageLayer = {
  group: ['*', '!.', '!./*', '!..', '!../shared', '!../shared/*', '!@dagrejs', '!@dagrejs/dagre'],
  message:
    "src/webview-graph imports only src/webview-graph/* (its protocol and itself), src/shared/* and @dagrejs/dagre: it runs in the browser, so no vscode, no node: built-ins, no src/api, src/core, src/ui or the thread page (core's DOM-free graph model comes through './protocol').",
};

/** The modules of src/core the graph page bundles. */
const coreForGraphPage = ['graph/graphModel', 'graph/breakpoints'];

const graphProtocolLayer = {
  group: [...graphPageLayer.group, '!../core', '!../core/graph', ...coreForGraphPage.map((m) => `!../core/${m}`)],
  message: `src/webview-graph/protocol.ts is the graph page's one door to src/core, and only to its DOM-free modules (${coreForGraphPage.join(', ')}); otherwise it imports only src/webview-graph/*, src/shared/* and @dagrejs/dagre.`,
};

const sharedLayer = {
  group: ['**'],
  message: 'src/shared/* is a leaf folder of helpers that every layer (the webview too) may import: it imports nothing.',
};

const cliLayer = {
  group: [...up('ui'), ...up('webview'), ...up('webview-graph'), ...up('extension')],
  message: 'src/cli (the command-line runner) imports nothing from src/ui, src/webview(-graph) or src/extension.ts: it runs without VS Code, on src/api and src/core.',
};

const restrict = (...patterns) => ['error', { paths: [noVscode], patterns }];
/** For the allow-lists, which refuse vscode already. */
const allowOnly = (pattern) => ['error', { patterns: [pattern] }];

export default defineConfig(
  {
    ignores: ['dist/', 'out/', 'node_modules/', 'media/', 'test/fixtures/**', '.test-runs/', 'test-artifacts/', '.vscode-test/', 'examples/'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/*.mjs', '*.mjs'],
    extends: [tseslint.configs.recommended],
    rules: {
      [RULE]: restrict(),
      // As tsc's noUnused*: a leading '_' marks a name left unused on purpose (a key dropped from a rest copy).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/ui/**', 'src/extension.ts', 'test/extension/**', 'test/e2e/**'], rules: { [RULE]: 'off' } },
  { files: ['src/api/**'], rules: { [RULE]: restrict(apiLayer) } },
  { files: ['src/core/**'], rules: { [RULE]: restrict(coreToApiIndex, coreLayer) } },
  { files: ['src/cli/**'], rules: { [RULE]: restrict(coreToApiIndex, cliLayer) } },
  { files: ['src/webview/**'], rules: { [RULE]: allowOnly(webviewLayer) } },
  { files: ['src/webview/protocol.ts'], rules: { [RULE]: allowOnly(protocolLayer) } },
  { files: ['src/webview-graph/**'], rules: { [RULE]: allowOnly(graphPageLayer) } },
  { files: ['src/webview-graph/protocol.ts'], rules: { [RULE]: allowOnly(graphProtocolLayer) } },
  { files: ['src/shared/**'], rules: { [RULE]: allowOnly(sharedLayer) } },
);
