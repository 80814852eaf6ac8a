/**
 * The graph bench's page harness: the real graph panel page (the panel's shell and CSP, media/graph.css,
 * src/webview-graph minified by esbuild as `--production` builds dist/graph.js) with a stub
 * `acquireVsCodeApi` that keeps what the page posts, plus Mermaid's browser bundle
 * (node_modules/mermaid/dist/mermaid.min.js) in the same page. The CSP is the panel's, with
 * 'unsafe-inline' styles added: Mermaid writes a <style> into each SVG and style attributes.
 * bench/graph/layoutEntry.ts is there too, to time the layout alone. Each round is timed inside
 * the page, from the message (or the mermaid.render call) to the task after the next animation
 * frame once the drawing is in the DOM.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { panelShell } from '../../src/ui/threadPanel/shell';
import type { GraphModel, GraphReport } from '../../src/webview-graph/protocol';

const REPO = join(__dirname, '../../..');
export const MERMAID_BUNDLE = join(REPO, 'node_modules/mermaid/dist/mermaid.min.js');

export interface GraphPageServer {
  url: string;
  server: Server;
  /** The page's script as the .vsix ships it (minified). */
  script: Uint8Array;
}

/** A browser bundle, minified, as esbuild.mjs --production builds the pages. */
async function pageBundle(entry: string): Promise<Uint8Array> {
  const built = await esbuild.build({
    entryPoints: [join(REPO, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return built.outputFiles[0]!.contents;
}

export async function serveGraphPage(): Promise<GraphPageServer> {
  const script = await pageBundle('src/webview-graph/main.ts');
  const layout = await pageBundle('bench/graph/layoutEntry.ts');
  const css = readFileSync(join(REPO, 'media/graph.css'));
  const mermaid = readFileSync(MERMAID_BUNDLE);
  const nonce = 'benchnonce';
  const server = createServer((req, res) => {
    if (req.url === '/graph.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (req.url === '/layout.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(layout);
    if (req.url === '/mermaid.min.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(mermaid);
    if (req.url === '/graph.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    const origin = `http://${req.headers.host}`;
    const html = panelShell({ cspSource: origin, nonce, cssUri: `${origin}/graph.css`, scriptUri: `${origin}/graph.js`, title: 'bench' }).replace(
      `style-src ${origin}`,
      `style-src ${origin} 'unsafe-inline'`,
    );
    // The stub: the page's posts are kept; its saved state names the subgraphs to show expanded (window.__expanded, set before load).
    const stub =
      `<script nonce="${nonce}">window.__out=[];const state={expanded:window.__expanded||[]};` +
      `window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__out.push(m);window.dispatchEvent(new CustomEvent('out'))},getState:()=>state,setState:()=>{}});</script>`;
    const mermaidTags = `<div id="mm" hidden></div><script nonce="${nonce}" src="${origin}/mermaid.min.js"></script><script nonce="${nonce}" src="${origin}/layout.js"></script>`;
    return res.writeHead(200, { 'content-type': 'text/html' }).end(html.replace('<script nonce', `${stub}${mermaidTags}<script nonce`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, script };
}

/** A fresh load of the page that shows these subgraphs expanded and has the graph message and Mermaid text ready. */
export async function loadGraphPage(page: Page, url: string, expanded: string[], message: unknown, text: string): Promise<void> {
  await page.addInitScript((ids) => ((window as unknown as { __expanded: string[] }).__expanded = ids), expanded);
  await page.goto(url);
  await page.evaluate(
    ({ message, text }) => {
      const w = window as unknown as { __msg: unknown; __text: string; mermaid: { initialize(c: unknown): void } };
      w.__msg = message;
      w.__text = text;
      w.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 1e7, maxEdges: 1e5 });
    },
    { message, text },
  );
}

export interface OursRound {
  /** From posting the graph message to the task after the next frame. */
  toScreen: number;
  report: GraphReport;
}

/** Posts the graph message to the page (shown, Mermaid's output hidden); resolves with the page's report. */
export function oursRound(page: Page): Promise<OursRound> {
  return page.evaluate(
    () =>
      new Promise<OursRound>((resolve) => {
        const w = window as unknown as { __out: { type: string; report?: GraphReport }[]; __msg: unknown };
        document.getElementById('mm')!.hidden = true;
        document.getElementById('app')!.hidden = false;
        void document.body.offsetHeight;
        requestAnimationFrame(() =>
          setTimeout(() => {
            w.__out.length = 0;
            const start = performance.now();
            const done = () => {
              const rendered = w.__out.find((m) => m.type === 'rendered');
              if (!rendered) return;
              window.removeEventListener('out', done);
              requestAnimationFrame(() => setTimeout(() => resolve({ toScreen: performance.now() - start, report: rendered.report! }), 0));
            };
            window.addEventListener('out', done);
            window.postMessage(w.__msg, '*');
          }, 0),
        );
      }),
  );
}

export interface MermaidRound {
  toScreen: number;
  /** What the SVG holds: node and subgraph boxes, edge paths. */
  nodes: number;
  clusters: number;
  edges: number;
}

/** mermaid.render of the text (our page hidden), the SVG put in the page; timed the same way. */
export function mermaidRound(page: Page, round: number): Promise<MermaidRound> {
  return page.evaluate(
    (round) =>
      new Promise<MermaidRound>((resolve, reject) => {
        const w = window as unknown as { __text: string; mermaid: { render(id: string, text: string): Promise<{ svg: string }> } };
        const out = document.getElementById('mm')!;
        document.getElementById('app')!.hidden = true;
        out.hidden = false;
        void document.body.offsetHeight;
        requestAnimationFrame(() =>
          setTimeout(() => {
            const start = performance.now();
            w.mermaid.render(`mermaid-${round}`, w.__text).then(({ svg }) => {
              out.innerHTML = svg;
              requestAnimationFrame(() =>
                setTimeout(() => {
                  const count = (selector: string) => out.querySelectorAll(selector).length;
                  resolve({ toScreen: performance.now() - start, nodes: count('g.node'), clusters: count('g.cluster'), edges: count('.edgePaths path, path.flowchart-link') });
                }, 0),
              );
            }, reject);
          }, 0),
        );
      }),
    round,
  );
}

/** The page's layout alone (bench/graph/layoutEntry.ts), `rounds` times in a row, in ms. */
export function layoutRounds(page: Page, model: GraphModel, clusters: string[], rounds: number): Promise<number[]> {
  return page.evaluate(
    ({ model, clusters, rounds }) => (window as unknown as { __layoutTimes(m: GraphModel, c: string[], r: number): number[] }).__layoutTimes(model, clusters, rounds),
    { model, clusters, rounds },
  );
}

/** A run path as the page's `runPath` message carries it (src/webview-graph/protocol.ts GraphRunPath). */
export interface RunPathUpdate {
  running: string[];
  done: Record<string, number>;
  path: { source: string; target: string }[];
  threadId: string;
  live: boolean;
}

export interface HighlightBurst {
  updates: number;
  /** Animation frames from the first update to the last repaint. */
  frames: number;
  /** Repaints the page reported (its `rendered` after each), and the most between two frames. */
  repaints: number;
  maxPerFrame: number;
  /** Per repaint: from a frame callback just before the page's to the task after that frame (its style, layout and paint). */
  paintMs: number[];
  /** From the first update to the page's report of the last repaint. */
  totalMs: number;
}

/**
 * Posts `runPath` messages to the page (already showing a graph): all in one task (`gapMs` 0) or one
 * every `gapMs`, as a live run's updates arrive. Counts the page's repaints per animation frame and
 * times each: on the first update of a frame a capturing listener (it runs before the page's) asks
 * for a frame callback, then a bubbling one (after the page's) asks for another, which waits for
 * the task after the frame: the page's own frame callback and the browser's rendering of the
 * change run between the two.
 */
export function highlightBurst(page: Page, updates: RunPathUpdate[], gapMs: number): Promise<HighlightBurst> {
  return page.evaluate(
    ({ updates, gapMs }) =>
      new Promise<HighlightBurst>((resolve) => {
        const w = window as unknown as { __out: { type: string }[] };
        const isRunPath = (e: MessageEvent) => (e.data as { type?: string } | null)?.type === 'runPath';
        const paintMs: number[] = [];
        let asked = false;
        let askAfter = false;
        let before = 0;
        const first = (e: MessageEvent) => {
          if (!isRunPath(e) || asked) return;
          asked = askAfter = true;
          requestAnimationFrame(() => (before = performance.now()));
        };
        const last = (e: MessageEvent) => {
          if (!isRunPath(e) || !askAfter) return;
          askAfter = false;
          requestAnimationFrame(() => {
            asked = false;
            // The task after the frame: the browser's style, layout and paint of the change are in it too.
            setTimeout(() => paintMs.push(performance.now() - before), 0);
          });
        };
        let frames = 0;
        let framesAtLast = 0;
        let repaints = 0;
        let sinceFrame = 0;
        let maxPerFrame = 0;
        let lastRepaint = 0;
        let quiet = 0;
        let posted = 0;
        const onOut = () => {
          const n = w.__out.filter((m) => m.type === 'rendered').length;
          w.__out.length = 0;
          if (!n) return;
          repaints += n;
          sinceFrame += n;
          lastRepaint = performance.now();
          framesAtLast = frames;
        };
        window.addEventListener('message', first, true);
        window.addEventListener('message', last);
        window.addEventListener('out', onOut);
        w.__out.length = 0;
        const start = performance.now();
        const tick = () => {
          frames++;
          maxPerFrame = Math.max(maxPerFrame, sinceFrame);
          quiet = posted === updates.length && sinceFrame === 0 && repaints > 0 ? quiet + 1 : 0;
          sinceFrame = 0;
          // Done: everything posted, and five frames without a repaint since.
          if (quiet < 5) return void requestAnimationFrame(tick);
          window.removeEventListener('message', first, true);
          window.removeEventListener('message', last);
          window.removeEventListener('out', onOut);
          resolve({ updates: updates.length, frames: framesAtLast, repaints, maxPerFrame, paintMs, totalMs: lastRepaint - start });
        };
        requestAnimationFrame(tick);
        const send = () => window.postMessage({ type: 'runPath', runPath: updates[posted++] }, '*');
        if (gapMs === 0) while (posted < updates.length) send();
        else {
          const timer = setInterval(() => {
            send();
            if (posted === updates.length) clearInterval(timer);
          }, gapMs);
        }
      }),
    { updates, gapMs },
  );
}
