/**
 * The graph panel's page (bundled into dist/graph.js): a heading, the toolbar (Fit, zoom, Refresh)
 * and the assistant's graph laid out by dagre and drawn as SVG. Subgraphs the server expanded
 * (xray) start collapsed and expand in place; after each drawing the page reports what it drew.
 */
import { addMargin, breakpointReport, refresh as refreshBreakpoints, setBreakpoints, setPause } from './breakpointsView';
import { drawGraph, type SubgraphState } from './draw';
import { paintRunPath, runPathReport, setRunPath } from './highlight';
import { collapse, type GraphHeading, type GraphModel, type GraphReport, type ToGraphPage } from './protocol';
import { html, htmlButton, svg } from './svg';
import { Viewport } from './viewport';
import { post, savedExpanded, saveState } from './vscodeApi';

/** The smallest zoom a graph opens at (Fit goes below it). */
const READABLE_SCALE = 0.6;

let heading: GraphHeading | undefined;
let full: GraphModel | undefined;
let expanded = new Set<string>(savedExpanded());
let view: { viewport: Viewport; root: SVGGElement; measure: SVGGElement; canvas: HTMLElement; bar: HTMLElement } | undefined;
/** What the last report said of the drawing, sent again when only the breakpoints change. */
let drawn: Partial<GraphReport> = {};

window.addEventListener('message', (event: MessageEvent<ToGraphPage>) => {
  const message = event.data;
  const started = performance.now();
  try {
    switch (message.type) {
      case 'loading':
        heading = message.heading;
        showNote(`Reading the graph of ${message.heading.assistantName}…`, false);
        return;
      case 'loadError':
        heading = message.heading;
        full = undefined;
        showNote(message.message, true);
        report({ error: message.message, started });
        return;
      case 'graph':
        heading = message.heading;
        full = message.model;
        expanded = new Set([...expanded].filter((id) => expandable(full!).has(id)));
        render(started, true);
        return;
      case 'toggleSubgraph':
        toggle(message.id, message.expanded, started);
        return;
      case 'runPath':
        setRunPath(message.runPath, () => view && report({ ...drawn, started }));
        return;
      case 'breakpoints':
      case 'paused':
        if (message.type === 'breakpoints') setBreakpoints(message.breakpoints);
        else setPause(message.pause);
        if (!view) return;
        refreshBreakpoints(view.root, view.bar);
        report({ ...drawn, started });
        return;
    }
  } catch (error) {
    post({ type: 'renderError', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
  }
});

post({ type: 'ready' });

// Go to Definition: a double-click on a node, or F12 on a focused one (the extension opens its source).
const definedNode = (target: EventTarget | null) => (target instanceof Element ? target.closest('g.node.kind-node')?.getAttribute('data-id') : null) ?? undefined;
document.addEventListener('dblclick', (e) => {
  const node = definedNode(e.target);
  if (node) post({ type: 'goToDefinition', node });
});
document.addEventListener('keydown', (e) => {
  const node = e.key === 'F12' ? definedNode(document.activeElement) : undefined;
  if (!node) return;
  e.preventDefault();
  post({ type: 'goToDefinition', node });
});

function expandable(model: GraphModel): Set<string> {
  return new Set(model.subgraphs.filter((s) => s.expandable).map((s) => s.id));
}

function toggle(id: string, expand: boolean, started = performance.now()): void {
  if (!full || !expandable(full).has(id)) return;
  if (expand) expanded.add(id);
  else {
    // Collapsing hides the subgraphs inside it too: they start collapsed when it opens again.
    for (const e of [...expanded]) if (e === id || e.startsWith(`${id}:`)) expanded.delete(e);
  }
  saveState({ expanded: [...expanded] });
  render(started, false);
}

/** What is drawn: the full model with every subgraph not expanded (or inside one that is not) collapsed. */
function drawnModel(model: GraphModel): GraphModel {
  const shut = model.subgraphs.filter((s) => s.expandable && !expanded.has(s.id)).map((s) => s.id);
  return collapse(model, shut);
}

function render(started: number, fit: boolean): void {
  if (!full || !heading) return;
  const model = drawnModel(full);
  const clusters = model.subgraphs.filter((s) => s.expandable && !s.collapsed && expanded.has(s.id)).map((s) => s.id);
  const states = new Map<string, SubgraphState>();
  for (const node of model.nodes) {
    if (!node.subgraph) continue;
    const sub = full.subgraphs.find((s) => s.id === node.id);
    states.set(node.id, sub?.expandable ? 'expandable' : 'opaque');
  }
  const v = ensureView(heading);
  const drawing = drawGraph(v.root, v.measure, { model, clusters, subgraphState: (id) => states.get(id), toggle: (id, expand) => toggle(id, expand), margin: addMargin, menu: heading });
  refreshBreakpoints(v.root, v.bar);
  paintRunPath(v.root);
  // Every node takes focus, for F12 (Go to Definition).
  v.root.querySelectorAll('g.node.kind-node:not([tabindex])').forEach((g) => g.setAttribute('tabindex', '0'));
  v.viewport.setContent(drawing.width, drawing.height);
  // At first: all of it, unless that would make the text too small to read.
  if (fit) v.viewport.fit(READABLE_SCALE);
  drawn = {
    nodes: model.nodes.map((n) => n.id),
    edges: model.edges.map((e) => ({ source: e.source, target: e.target, conditional: e.conditional })),
    opaque: [...states].filter(([, s]) => s === 'opaque').map(([id]) => id),
    expanded: clusters,
    collapsed: [...states].filter(([, s]) => s === 'expandable').map(([id]) => id),
    menus: Array.from(v.root.querySelectorAll('g.node[data-vscode-context]'), (g) => JSON.parse(g.getAttribute('data-vscode-context')!) as Record<string, unknown>),
  };
  report({ ...drawn, started });
}

function ensureView(h: GraphHeading): NonNullable<typeof view> {
  const app = document.getElementById('app')!;
  if (view && app.contains(view.canvas)) {
    setHeading(app, h);
    return view;
  }
  const root = svg('g', { class: 'graph' });
  const measure = svg('g', { class: 'measure', 'aria-hidden': 'true' });
  const drawingSvg = svg('svg', { class: 'drawing', role: 'img', 'aria-label': `Graph of ${h.assistantName}` }, [
    svg('defs', {}, [
      svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' }, [
        svg('path', { class: 'arrowhead', d: 'M0,0 L10,5 L0,10 z' }),
      ]),
    ]),
    root,
    measure,
  ]);
  const canvas = html('div', { class: 'canvas' }, [drawingSvg]);
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', 'The graph: +/- zoom, arrow keys pan, 0 fits');
  const viewport = new Viewport(canvas, root);
  const toolbar = html('div', { class: 'toolbar' }, [
    htmlButton('Fit', () => viewport.fit(), { class: 'secondary', title: 'The whole graph in view (0)' }),
    htmlButton('−', () => viewport.zoomBy(1 / 1.2), { class: 'secondary icon', title: 'Zoom out (-)' }),
    htmlButton('+', () => viewport.zoomBy(1.2), { class: 'secondary icon', title: 'Zoom in (+)' }),
    htmlButton('Refresh', () => post({ type: 'refresh' }), { class: 'secondary', title: 'Read the graph from the server again' }),
  ]);
  const legend = html('p', { class: 'legend' }, [
    html('span', { class: 'legend-solid', text: '── edge' }),
    html('span', { class: 'legend-dashed', text: '- - conditional edge' }),
    html('span', { text: '▭▭ subgraph (+ expands, − collapses)' }),
    html('span', { text: 'wheel / +/- zoom · drag / arrows pan · 0 fit' }),
    html('span', { text: '● left of a node: pause before (upper) / after (lower)' }),
    html('span', { text: 'double-click / F12 on a node: its source; right-click: its menu' }),
  ]);
  const top = html('header', { class: 'top' }, [html('div', { class: 'heading' }), toolbar]);
  const bar = html('div', { class: 'bp-bar' });
  // Which run the highlight shows (highlight.ts writes it); a live region, so its changes are read out.
  const runLine = html('div', { class: 'run-line' });
  runLine.setAttribute('role', 'status');
  runLine.hidden = true;
  app.replaceChildren(html('div', { class: 'page' }, [top, bar, runLine, canvas, legend]));
  view = { viewport, root, measure, canvas, bar };
  setHeading(app, h);
  return view;
}

function setHeading(app: HTMLElement, h: GraphHeading): void {
  const box = app.querySelector('.heading');
  if (!box) return;
  box.replaceChildren(
    html('h1', { text: `Graph: ${h.assistantName}` }),
    html('div', { class: 'sub' }, [
      html('span', { text: h.deploymentName }),
      html('span', { class: 'sep', text: '·' }),
      html('span', { text: 'graph ' }),
      html('code', { text: h.graphId }),
      html('span', { class: 'sep', text: '·' }),
      html('span', { text: 'assistant ' }),
      html('code', { text: h.assistantId }),
    ]),
  );
}

function showNote(text: string, error: boolean): void {
  const app = document.getElementById('app')!;
  view = undefined;
  drawn = {};
  const note = html('div', { class: error ? 'load-error' : 'loading' }, [
    heading ? html('h1', { text: `Graph: ${heading.assistantName}` }) : null,
    html('p', { class: error ? 'error-text' : 'muted', text }),
    error ? htmlButton('Retry', () => post({ type: 'refresh' })) : null,
  ]);
  app.replaceChildren(note);
}

function report(parts: Partial<Omit<GraphReport, 'renderMs'>> & { started: number }): void {
  const { started, ...rest } = parts;
  const renderMs = Math.round((performance.now() - started) * 10) / 10;
  const out: GraphReport = { assistantId: heading?.assistantId ?? '', nodes: [], edges: [], opaque: [], expanded: [], collapsed: [], menus: [], error: '', ...breakpointReport(), ...runPathReport(), ...rest, renderMs };
  // After the drawing is in the DOM (the page's own task ends first), like the thread page's report.
  setTimeout(() => post({ type: 'rendered', report: out }), 0);
}
