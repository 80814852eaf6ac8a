// `npm run test:extension`: runs out/test/extension/index.js inside a real VS Code extension host
// (code-server + headless Chromium, offline), against real Agent Servers. Exit code = the suite's.
//
// Environment overrides (mainly to test this runner itself):
//   LANGGRAPH_EXT_DEV_PATH     extension folder (default: the repository root)
//   LANGGRAPH_EXT_TESTS_PATH   tests module exporting run() (default: <repo>/out/test/extension/index.js)
//   LANGGRAPH_TEST_NO_SERVER=1 do not start the Agent Servers (their URL variables stay unset)
//   LANGGRAPH_TEST_TIMEOUT_MS  whole-suite timeout (default 600000)
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser, newPage, SELECTORS, workbenchUrl } from './browser';
import { REPO_ROOT, startCodeServer } from './codeServer';
import { startTestServers } from './testServers';

const SUMMARY = /^extension: \d+ passed, \d+ failed/;
const ARTIFACTS = join(ARTIFACTS_DIR, 'extension');
// The page forwards the workbench's own log too (all 'info'); these known harmless lines go to the
// log file only, so the console shows the suite. `Canceled` comes when the extension host exits.
const WORKBENCH_NOISE =
  /^(Resolv(ing|ed) connection token|Creating a socket|Ignoring fetching additional builtin|Updating additional builtin|Canceled: Canceled|\[(reconnection-grace-time|Service Worker|AgentHost:remote|AccountPolicyGate)\])/;

/** The extension's entry must be built, or the host silently runs without it. */
function checkBuilt(devPath: string, testsPath: string): void {
  const manifest = join(devPath, 'package.json');
  if (!existsSync(manifest)) throw new Error(`no extension manifest at ${manifest}`);
  const main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string }).main;
  const missing = [testsPath, ...(main ? [resolve(devPath, main)] : [])].filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}. Run \`node esbuild.mjs --tests\` first.`);
}

async function main(): Promise<number> {
  const devPath = resolve(process.env.LANGGRAPH_EXT_DEV_PATH || REPO_ROOT);
  const testsPath = resolve(process.env.LANGGRAPH_EXT_TESTS_PATH || join(REPO_ROOT, 'out/test/extension/index.js'));
  const timeoutMs = Number(process.env.LANGGRAPH_TEST_TIMEOUT_MS) || 600_000;
  checkBuilt(devPath, testsPath);

  rmSync(ARTIFACTS, { recursive: true, force: true }); // no stale screenshot from an earlier run
  mkdirSync(ARTIFACTS, { recursive: true });
  const hostLog = createWriteStream(join(ARTIFACTS, 'extension-host.log'));
  const codeServerLog = join(ARTIFACTS, 'code-server.log');
  console.log(`[runner] logs: ${ARTIFACTS}/{extension-host,code-server}.log`);

  const cleanups: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const c of cleanups.reverse()) await c().catch((e) => console.error('[runner] cleanup:', e));
      await new Promise<void>((r) => hostLog.end(r));
    })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`[runner] ${sig}: stopping`);
      void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }

  let summary: string | undefined;
  let page: Page | undefined;
  let runDir: string | undefined;
  let ok = false;
  try {
    const t0 = Date.now();
    const servers = await startTestServers();
    cleanups.push(() => servers.stop());
    if (Object.keys(servers.env).length) console.log(`[runner] agent servers: ${Object.values(servers.env).join(' ')}`);

    const cs = await startCodeServer({ env: servers.env, logFile: codeServerLog });
    // Keep the run folder (VS Code's own logs are in user-data/logs) only when something went wrong.
    cleanups.push(() => cs.stop({ removeRunDir: ok }));
    runDir = cs.runDir;
    console.log(`[runner] code-server ${cs.url} (pid ${cs.pid}), run folder ${cs.runDir}`);

    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const p = (page = (await newPage(browser)).page);

    let settle!: (code: number, why: string) => void;
    const done = new Promise<{ code: number; why: string }>((res) => (settle = (code, why) => res({ code, why })));
    // Both must exist before the workbench loads: it looks for them once.
    await p.exposeFunction('codeAutomationExit', (code: unknown) => settle(Number(code) || 0, 'exit'));
    await p.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      hostLog.write(`[${String(type)}] ${line}\n`);
      if (SUMMARY.test(line)) summary = line;
      if (!WORKBENCH_NOISE.test(line)) console.log(line);
    });
    p.on('pageerror', (e) => hostLog.write(`[pageerror] ${e.message}\n`));
    p.on('crash', () => settle(1, 'page crashed'));
    const timer = setTimeout(() => settle(1, `timed out after ${timeoutMs / 1000} s`), timeoutMs);

    const url = workbenchUrl(cs.url, { folder: cs.workspace, extensionDevelopmentPath: devPath, extensionTestsPath: testsPath });
    const tGoto = Date.now();
    console.log(`[runner] setup ${((tGoto - t0) / 1000).toFixed(1)} s; opening ${url}`);
    await p.goto(url);
    await Promise.race([p.locator(SELECTORS.workbench).waitFor({ state: 'visible', timeout: timeoutMs }), done]);
    const tLoaded = Date.now();
    console.log(`[runner] workbench loaded in ${((tLoaded - tGoto) / 1000).toFixed(1)} s`);

    const { code, why } = await done;
    clearTimeout(timer);
    const what = why === 'exit' ? `extension host exited with code ${code}` : why;
    console.log(`[runner] ${what}, ${((Date.now() - tLoaded) / 1000).toFixed(1)} s after the workbench loaded`);
    ok = code === 0 && why === 'exit';
  } catch (err) {
    console.error('[runner] error:', err instanceof Error ? err.message : err);
  } finally {
    if (!ok && page) {
      const shot = join(ARTIFACTS, 'failure.png');
      await page
        .screenshot({ path: shot, timeout: 10_000 })
        .then(() => console.log(`[runner] screenshot: ${shot}`))
        .catch((e: Error) => console.error(`[runner] no screenshot: ${e.message}`));
    }
    await cleanup();
  }
  if (!ok && runDir) console.log(`[runner] run folder kept: ${runDir}`);
  console.log(`[runner] logs: ${ARTIFACTS}`);
  console.log(summary ?? 'extension: no result (the suite did not report)');
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
