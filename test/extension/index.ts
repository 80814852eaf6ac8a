// Entry of the suite inside the extension host (code-server or @vscode/test-electron load it through
// extensionTestsPath). The last line it logs, `extension: N passed, M failed`, is what the runners
// look for.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // LANGGRAPH_TEST_GREP (set on the runner, inherited through code-server) runs a subset.
  const grep = process.env.LANGGRAPH_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, ...(grep ? { grep } : {}) });
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
        console.log(`extension: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
        else if (passes === 0) reject(new Error(`no extension test ran (looked for *.test.js in ${__dirname})`));
        else resolve();
      });
    } catch (err) {
      // A test file that throws while loading lands here, before any test runs; the host prints err.
      console.log('extension: 0 passed, 1 failed');
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
