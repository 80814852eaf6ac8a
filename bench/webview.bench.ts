/**
 * Issue 6: the thread panel with a 1,000-message thread and a 5 MB state.
 * Two sides are measured, each against a baseline in the same run:
 *  - extension side: reading the thread (our loadThreadView: thread without values, state, latest
 *    run, in parallel) and serializing the render message as postMessage does (JSON), against
 *    a naive panel that reads GET /threads/{id} (values included) and GET /state one after the other.
 *  - webview side, in Chromium (the browser VS Code's webviews run in): the real panel page (same
 *    shell, CSP, minified dist/webview.js and media/thread.css) receives the render message by
 *    postMessage; "to screen" runs from posting it until the panel has rendered, laid out and
 *    reported back after the next frame. The baseline is what a naive panel does: the state as
 *    JSON.stringify(…, null, 2) in one <pre>, measured the same way.
 * Both threads live on a real Agent Server that the bench starts; 7 rounds each, medians.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { AgentServerClient } from '../src/api';
import { loadThreadView } from '../src/core/loadThreadView';
import type { ThreadView } from '../src/core/threadView';
import { panelShell } from '../src/ui/threadPanel/shell';
import type { RenderedReport } from '../src/webview/protocol';
import { startAgentServer, type AgentServer } from '../test/harness/agentServer';
import { aiMessage, humanMessage, toolMessage } from '../test/harness/messages';
import { launchBrowser } from '../test/runner/browser';
import type { BenchContext } from './run';
import { fmt, median, timed } from './stats';

const ROUNDS = 7;
const REPO = join(__dirname, '../..');

/** Messages like a long agent conversation: questions, markdown answers, tool calls and results. */
function conversation(count: number, bigText = 0): unknown[] {
  const messages: unknown[] = [];
  for (let i = 0; messages.length < count - 1; i++) {
    const filler = bigText ? ` ${'lorem ipsum dolor sit amet '.repeat(Math.ceil(bigText / 27)).slice(0, bigText)}` : '';
    const call = { id: `call_${i}`, name: 'get_weather', args: { city: `city ${i}` } };
    messages.push(humanMessage(`Question ${i}: what is the weather in city ${i}?${filler}`));
    messages.push(aiMessage('', { tool_calls: [call] }));
    messages.push(toolMessage(call, `It's ${50 + (i % 30)} degrees in city ${i}.`));
    messages.push(
      aiMessage(`**City ${i}**: it is *${50 + (i % 30)} degrees*.\n\n- humidity: ${i % 100}%\n- wind: ${i % 20} km/h\n\nSee [the forecast](https://example.com/${i}).${filler}`),
    );
  }
  messages.length = count - 1;
  messages.push(humanMessage("what's the weather in sf"));
  return messages;
}

async function seed(client: AgentServerClient, title: string, messages: unknown[]): Promise<string> {
  const thread = await client.threads.create({ metadata: { title } });
  // The agent graph appends its own three messages (tool call, tool result, answer).
  await client.runs.wait(thread.thread_id, { assistant_id: 'agent', input: { messages: messages.slice(0, -4).concat(messages.slice(-1)) } });
  return thread.thread_id;
}

/** A loopback server for the panel page and its two files (live.bench.ts serves the panel with it too). */
export async function servePanel(): Promise<{ url: string; server: Server }> {
  const built = await esbuild.build({
    entryPoints: [join(REPO, 'src/webview/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    minify: true,
    logLevel: 'warning',
  });
  const script = built.outputFiles[0]!.contents;
  const css = readFileSync(join(REPO, 'media/thread.css'));
  const server = createServer((req, res) => {
    const nonce = 'benchnonce';
    if (req.url === '/dist/webview.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (req.url === '/media/thread.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    if (req.url === '/naive') {
      return res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!DOCTYPE html><html><head><link rel="stylesheet" href="/media/thread.css"></head><body><pre id="app"></pre></body></html>`,
      );
    }
    const origin = `http://${req.headers.host}`;
    const html = panelShell({ cspSource: origin, nonce, cssUri: `${origin}/media/thread.css`, scriptUri: `${origin}/dist/webview.js`, title: 'bench' });
    // Stands in for VS Code's acquireVsCodeApi: the panel's messages are kept for the bench.
    const stub = `<script nonce="${nonce}">window.__out=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__out.push(m);window.dispatchEvent(new CustomEvent('out'))},getState:()=>undefined,setState:()=>{}});</script>`;
    return res.writeHead(200, { 'content-type': 'text/html' }).end(html.replace('<script nonce', `${stub}<script nonce`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Posts the render message to the real panel page; resolves when the panel reports what it rendered. */
async function panelRender(page: Page, message: string): Promise<{ toScreen: number; report: RenderedReport }> {
  await page.evaluate((json) => {
    (window as unknown as { __msg: unknown }).__msg = JSON.parse(json);
    (window as unknown as { __out: unknown[] }).__out.length = 0;
  }, message);
  return page.evaluate(
    () =>
      new Promise<{ toScreen: number; report: RenderedReport }>((resolve) => {
        const w = window as unknown as { __out: { type: string; report?: RenderedReport }[]; __msg: unknown };
        const start = performance.now();
        const done = () => {
          const rendered = w.__out.find((m) => m.type === 'rendered');
          if (!rendered) return;
          window.removeEventListener('out', done);
          resolve({ toScreen: performance.now() - start, report: rendered.report! });
        };
        window.addEventListener('out', done);
        window.postMessage(w.__msg, '*');
      }),
  );
}

/** The naive panel: the state as pretty JSON in one <pre>, timed the same way (to the next frame). */
async function naiveRender(page: Page, message: string): Promise<number> {
  await page.evaluate((json) => ((window as unknown as { __msg: unknown }).__msg = JSON.parse(json)), message);
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const w = window as unknown as { __msg: { view: ThreadView } };
        const start = performance.now();
        window.addEventListener(
          'message',
          (e) => {
            const app = document.getElementById('app')!;
            app.textContent = JSON.stringify((e.data as { view: ThreadView }).view.state, null, 2);
            void document.body.offsetHeight;
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
          },
          { once: true },
        );
        window.postMessage(w.__msg, '*');
      }),
  );
}

export default async function webviewBench(ctx: BenchContext): Promise<void> {
  let agent: AgentServer | undefined;
  let panel: { url: string; server: Server } | undefined;
  const browser = await launchBrowser();
  try {
    agent = await startAgentServer();
    const client = new AgentServerClient({ url: agent.url });
    const deploymentUrl = agent.url;
    const cases = [
      { name: '1,000 messages', threadId: await seed(client, 'bench 1000', conversation(1000)) },
      // ~5 MB of values: 200 messages, half of them with ~50 KB of text.
      { name: '5 MB state', threadId: await seed(client, 'bench 5mb', conversation(200, 50_000)) },
    ];
    panel = await servePanel();
    const rows: (string | number)[][] = [['thread', 'what', 'ours (median ms)', 'naive (median ms)', 'note']];
    for (const c of cases) {
      const ref = { deploymentUrl, threadId: c.threadId };
      // Extension side: read and serialize.
      const oursLoad: number[] = [];
      const oursSerialize: number[] = [];
      const naiveLoad: number[] = [];
      let message = '';
      for (let i = 0; i < ROUNDS; i++) {
        const loaded = await timed(() => loadThreadView(client, ref, { deploymentName: 'bench' }));
        oursLoad.push(loaded.ms);
        const serialized = await timed(async () => JSON.stringify({ type: 'render', view: loaded.value }));
        oursSerialize.push(serialized.ms);
        message = serialized.value;
        naiveLoad.push((await timed(async () => [await client.threads.get(c.threadId), await client.threads.getState(c.threadId)])).ms);
      }
      // Webview side: a fresh page per round (like a panel opened anew).
      const toScreen: number[] = [];
      const renderMs: number[] = [];
      const naive: number[] = [];
      let report: RenderedReport | undefined;
      for (let i = 0; i < ROUNDS; i++) {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(panel.url);
        const r = await panelRender(page, message);
        toScreen.push(r.toScreen);
        renderMs.push(r.report.renderMs);
        report = r.report;
        await page.goto(`${panel.url}/naive`);
        naive.push(await naiveRender(page, message));
        await page.close();
      }
      const mb = (message.length / 1024 / 1024).toFixed(2);
      rows.push([c.name, 'extension: read thread', fmt(median(oursLoad)), fmt(median(naiveLoad)), 'ours: 3 requests in parallel; naive: thread with values, then state']);
      rows.push([c.name, 'extension: serialize message', fmt(median(oursSerialize)), '—', `${mb} MB of JSON`]);
      rows.push([c.name, 'webview: to screen', fmt(median(toScreen)), fmt(median(naive)), `shown: ${report?.messagesShown} of ${report?.messageCount} messages, last message, lazy state tree`]);
      rows.push([c.name, 'webview: render + layout', fmt(median(renderMs)), '—', 'measured inside the page (report.renderMs)']);
    }
    ctx.table('Thread panel: 1,000-message thread and 5 MB state', rows);
    ctx.note(`${ROUNDS} rounds each; Chromium ${browser.version()} headless; webview bundle minified by esbuild as in the .vsix.`);
    await client.close();
  } finally {
    await browser.close();
    panel?.server.close();
    await agent?.stop();
  }
}
