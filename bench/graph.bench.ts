/**
 * Issue 13: the graph panel's layout and first paint against Mermaid, in one run, in Chromium.
 * Graphs: each fixture assistant's, as each Agent Server asked for gives it
 * (`GET /assistants/{id}/graph?xray=true`, normalized as the panel does), and a generated 200-node
 * graph with subgraphs (bench/graph/generate.ts). Ours: the real page (bench/graph/page.ts) gets
 * the panel's `graph` message with every subgraph expanded, so it draws every node Mermaid draws;
 * its report gives layout + drawing (renderMs), and the bench times it to the next animation frame.
 * Mermaid: mermaid.render of the same graph's flowchart text (bench/graph/mermaidText.ts: the
 * servers give none; `/graph` is JSON), in the same page, to the next frame. Rounds interleave the
 * two (ours, then Mermaid) after warm-up rounds, in one page per graph; the first round of each, in
 * the fresh page, is reported as "cold". Also: both bundles' sizes, raw and gzip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { AgentServerClient } from '../src/api';
import { normalizeGraph, type GraphModel } from '../src/core/graph/graphModel';
import type { GraphHeading, ToGraphPage } from '../src/webview-graph/protocol';
import { startAgentServer, type ServerKind } from '../test/harness/agentServer';
import { launchBrowser, newPage } from '../test/runner/browser';
import { generatedGraph } from './graph/generate';
import { mermaidText } from './graph/mermaidText';
import { highlightBurst, layoutRounds, loadGraphPage, MERMAID_BUNDLE, mermaidRound, oursRound, serveGraphPage, type HighlightBurst, type RunPathUpdate } from './graph/page';
import type { BenchContext } from './run';
import { fmt, median, p95 } from './stats';

// Kept small so that the bench runs in about 3 minutes on 2 cores with both servers.
const WARMUP = 1;
const FIXTURE_ROUNDS = 10;
const BIG_ROUNDS = 12;
/** Rounds of the layout alone, after the others (the 200-node one takes most of a second). */
const LAYOUT_ROUNDS = 5;

type Row = (string | number)[];

interface Case {
  name: string;
  model: GraphModel;
  rounds: number;
}

/** Each assistant's graph with xray on one server (then stopped, so it does not share the cores with the browser). */
async function fixtureGraphs(kind: ServerKind): Promise<Case[]> {
  const server = await startAgentServer({ server: kind });
  const client = new AgentServerClient({ url: server.url });
  try {
    const assistants = (await client.assistants.search({ limit: 100 })).items.sort((a, b) => a.graph_id.localeCompare(b.graph_id));
    const cases: Case[] = [];
    for (const a of assistants) {
      const model = normalizeGraph(await client.assistants.graph(a.assistant_id, { xray: true }));
      cases.push({ name: `${kind === 'js' ? 'JS' : 'Python'}: ${a.graph_id}`, model, rounds: FIXTURE_ROUNDS });
    }
    return cases;
  } finally {
    await client.close();
    await server.stop();
  }
}

/** The panel's message for a graph, and its subgraphs that can be shown expanded. */
function graphMessage(c: Case): ToGraphPage {
  const heading: GraphHeading = { deploymentName: 'bench', deploymentUrl: 'http://127.0.0.1:2024', assistantName: c.name, graphId: c.name, assistantId: c.name };
  return { type: 'graph', heading, model: c.model };
}
const expandable = (c: Case) => c.model.subgraphs.filter((s) => s.expandable).map((s) => s.id);

const ms = (samples: number[]) => `${fmt(median(samples))} / ${fmt(p95(samples))}`;

async function measure(browser: Browser, url: string, c: Case): Promise<Row> {
  const expanded = expandable(c);
  const text = mermaidText(c.model);
  const { context, page } = await newPage(browser);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await loadGraphPage(page, url, expanded, graphMessage(c), text);
    const ours = { toScreen: [] as number[], renderMs: [] as number[] };
    const theirs: number[] = [];
    let cold = '';
    let drawn = '';
    for (let round = 0; round < WARMUP + c.rounds; round++) {
      const o = await oursRound(page);
      const m = await mermaidRound(page, round);
      if (round === 0) {
        cold = `${fmt(o.toScreen)} vs ${fmt(m.toScreen)}`;
        const r = o.report;
        if (r.error) throw new Error(`${c.name}: the page drew an error: ${r.error}`);
        // Both sides must draw the whole graph, or the times compare different work.
        if (r.nodes.length !== c.model.nodes.length || m.nodes !== r.nodes.length || m.clusters !== r.expanded.length) {
          throw new Error(`${c.name}: the model has ${c.model.nodes.length} nodes; ours drew ${r.nodes.length} and ${r.expanded.length} boxes, Mermaid ${m.nodes} and ${m.clusters}`);
        }
        drawn = `ours ${r.nodes.length} nodes, ${r.edges.length} edges, ${r.expanded.length} subgraph boxes; Mermaid ${m.nodes} nodes, ${m.edges} edges, ${m.clusters} boxes`;
      }
      if (round < WARMUP) continue;
      ours.toScreen.push(o.toScreen);
      ours.renderMs.push(o.report.renderMs);
      theirs.push(m.toScreen);
    }
    const layout = await layoutRounds(page, c.model, expanded, LAYOUT_ROUNDS);
    if (errors.length) throw new Error(`${c.name}: page errors: ${errors.join('; ')}`);
    const speedup = (median(theirs) / median(ours.toScreen)).toFixed(1);
    return [c.name, `${c.model.nodes.length} / ${c.model.edges.length} / ${c.model.subgraphs.length}`, ms(layout), ms(ours.renderMs), ms(ours.toScreen), ms(theirs), `${speedup}×`, cold, drawn];
  } finally {
    await context.close();
  }
}

/** The 200-node graph as the panel opens it: subgraphs collapsed (ours only: Mermaid has no collapsed view). */
async function asOpened(browser: Browser, url: string, c: Case): Promise<Row> {
  const { context, page } = await newPage(browser);
  try {
    await loadGraphPage(page, url, [], graphMessage(c), 'graph TD;\n');
    const toScreen: number[] = [];
    const renderMs: number[] = [];
    let drawn = '';
    for (let round = 0; round < WARMUP + c.rounds; round++) {
      const o = await oursRound(page);
      drawn = `ours ${o.report.nodes.length} nodes (${o.report.collapsed.length} collapsed subgraphs), ${o.report.edges.length} edges`;
      if (round < WARMUP) continue;
      toScreen.push(o.toScreen);
      renderMs.push(o.report.renderMs);
    }
    return [`${c.name}, as the panel opens it`, '', '', ms(renderMs), ms(toScreen), '—', '', '', drawn];
  } finally {
    await context.close();
  }
}

/** The live-run highlight (src/webview-graph/highlight.ts), when the page has it. */
const HIGHLIGHT = join(__dirname, '../../src/webview-graph/highlight.ts');
const UPDATES = 200;

/** A run going through the graph's nodes in order, one update per step: the node running, those done, the edges taken. */
function runUpdates(model: GraphModel, count: number): RunPathUpdate[] {
  const order = model.nodes.filter((n) => n.kind === 'node').map((n) => n.id);
  const at = new Map(order.map((id, i) => [id, i]));
  const edges = model.edges
    .filter((e) => at.has(e.source) && at.has(e.target))
    .map((e) => ({ source: e.source, target: e.target, by: Math.max(at.get(e.source)!, at.get(e.target)!) }));
  return Array.from({ length: count }, (_, k) => {
    const reached = Math.min(k, order.length - 1);
    const done: Record<string, number> = {};
    for (let i = 0; i < k; i++) done[order[i % order.length]!] = 1 + Math.floor(i / order.length);
    const path = edges.filter((e) => e.by <= reached).map(({ source, target }) => ({ source, target }));
    return { running: [order[k % order.length]!], done, path, threadId: 'bench', live: true };
  });
}

/** Bursts of highlight updates on the drawn 200-node graph (every subgraph expanded). */
async function highlightRows(browser: Browser, url: string, c: Case): Promise<Row[]> {
  const { context, page } = await newPage(browser);
  try {
    await loadGraphPage(page, url, expandable(c), graphMessage(c), 'graph TD;\n');
    await oursRound(page);
    const updates = runUpdates(c.model, UPDATES);
    const rows: Row[] = [];
    for (const [what, gap, times] of [[`${UPDATES} updates posted in one task`, 0, 3], [`${UPDATES} updates, one every 4 ms`, 4, 1]] as const) {
      const bursts: HighlightBurst[] = [];
      for (let i = 0; i < times; i++) bursts.push(await highlightBurst(page, updates, gap));
      const paint = bursts.flatMap((b) => b.paintMs);
      const sum = (f: (b: HighlightBurst) => number) => bursts.reduce((n, b) => n + f(b), 0);
      rows.push([
        times > 1 ? `${what} (×${times})` : what,
        sum((b) => b.repaints),
        sum((b) => b.frames),
        Math.max(...bursts.map((b) => b.maxPerFrame)),
        ms(paint),
        fmt(paint.reduce((a, b) => a + b, 0) / sum((b) => b.updates)),
        fmt(median(bursts.map((b) => b.totalMs))),
      ]);
    }
    return rows;
  } finally {
    await context.close();
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function sizeRow(what: string, bytes: Uint8Array): Row {
  return [what, kb(bytes.length), kb(gzipSync(bytes, { level: 9 }).length)];
}

export default async function graphBench(ctx: BenchContext): Promise<void> {
  if (!existsSync(MERMAID_BUNDLE)) throw new Error(`${MERMAID_BUNDLE} is missing: run npm install (mermaid is a devDependency of the bench)`);
  const cases: Case[] = [];
  for (const kind of ctx.servers) cases.push(...(await fixtureGraphs(kind)));
  const big: Case = { name: 'generated 200 nodes', model: normalizeGraph(generatedGraph()), rounds: BIG_ROUNDS };
  cases.push(big);
  const browser = await launchBrowser();
  const pageServer = await serveGraphPage();
  try {
    const rows: Row[] = [['graph', 'nodes / edges / subgraphs', 'ours: layout alone ms (median / p95)', 'ours: layout+draw ms', 'ours first paint ms', 'Mermaid render+paint ms', 'Mermaid ÷ ours', 'cold: ours vs Mermaid ms', 'drawn']];
    for (const c of cases) rows.push(await measure(browser, pageServer.url, c));
    rows.push(await asOpened(browser, pageServer.url, big));
    ctx.table(`Graph panel vs Mermaid: layout and first paint (${WARMUP} warm-up rounds, then ${FIXTURE_ROUNDS} per fixture graph and ${BIG_ROUNDS} for the generated one, interleaved; layout alone ${LAYOUT_ROUNDS} rounds)`, rows);
    const mermaidVersion = (JSON.parse(readFileSync(join(MERMAID_BUNDLE, '../../package.json'), 'utf8')) as { version: string }).version;
    if (existsSync(HIGHLIGHT)) {
      const head = ['burst (generated 200 nodes, subgraphs expanded)', 'repaints', 'frames', 'most repaints in a frame', 'ms per repaint, to screen (median / p95)', 'repaint ms per update', 'first update to last repaint ms (median)'];
      ctx.table('Live-run highlight: bursts of runPath updates', [head, ...(await highlightRows(browser, pageServer.url, big))]);
    } else ctx.note('Live-run highlight: not measured yet (src/webview-graph/highlight.ts is not there).');
    ctx.table('Bundle sizes', [
      ['bundle', 'raw', 'gzip -9'],
      sizeRow('graph page (src/webview-graph, minified as dist/graph.js in the .vsix)', pageServer.script),
      sizeRow(`mermaid ${mermaidVersion} dist/mermaid.min.js (its browser bundle)`, readFileSync(MERMAID_BUNDLE)),
    ]);
    ctx.note(
      `Chromium ${browser.version()} headless; first paint = from the graph message (or the mermaid.render call) to the task after the next animation frame once the SVG is in the DOM; ` +
        'ours with every subgraph expanded (the same nodes Mermaid draws) unless said; Mermaid text generated from the same model (LangGraph draw_mermaid style), Mermaid defaults otherwise (htmlLabels, dagre). ' +
        `p95 of ${FIXTURE_ROUNDS} or ${BIG_ROUNDS} samples is the slowest one. Layout alone: src/webview-graph/layout.ts (dagre) with sizes estimated from the labels.`,
    );
  } finally {
    await browser.close();
    pageServer.server.close();
  }
}
