// `npm run test:desktop`: the same suite as test:extension on desktop VS Code, through
// @vscode/test-electron. Needs the network (it downloads VS Code into .vscode-test/), so it cannot
// run offline; use runExtensionTests there.
//
// Environment: LANGGRAPH_TEST_NO_SERVER=1 skips the Agent Servers; VSCODE_TEST_VERSION picks the
// VS Code build (default 'stable'; e.g. '1.100.0' to test the oldest supported engine).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, RUNS_DIR } from './codeServer';
import { startTestServers } from './testServers';

async function main(): Promise<number> {
  mkdirSync(RUNS_DIR, { recursive: true });
  const workspace = join(mkdtempSync(join(RUNS_DIR, 'desktop-')), 'workspace');
  mkdirSync(workspace);
  const servers = await startTestServers();
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION || 'stable',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'out/test/extension/index.js'),
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: servers.env,
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero, i.e. when a test failed.
    console.error('[desktop]', err instanceof Error ? err.message : err);
    return 1;
  } finally {
    await servers.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
