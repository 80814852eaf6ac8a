/**
 * Zoom and pan of the drawing: wheel zooms about the pointer, a drag on the background pans,
 * +/- zoom, the arrow keys pan, 0 fits. The transform is an SVG attribute (the CSP forbids inline styles).
 */
const MIN = 0.1;
const MAX = 4;
const STEP = 1.2;
const PAN = 60;

export class Viewport {
  private k = 1;
  private x = 0;
  private y = 0;
  private content = { width: 0, height: 0 };

  constructor(
    private readonly frame: HTMLElement,
    private readonly target: SVGGElement,
  ) {
    frame.addEventListener('wheel', (e) => {
      e.preventDefault();
      const at = this.local(e);
      this.zoomBy(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)), at);
    }, { passive: false });
    frame.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('[data-toggle]')) return;
      const start = { px: e.clientX, py: e.clientY, x: this.x, y: this.y };
      frame.setPointerCapture(e.pointerId);
      frame.classList.add('panning');
      const move = (m: PointerEvent) => this.set(this.k, start.x + m.clientX - start.px, start.y + m.clientY - start.py);
      const up = () => {
        frame.classList.remove('panning');
        frame.removeEventListener('pointermove', move);
        frame.removeEventListener('pointerup', up);
        frame.removeEventListener('pointercancel', up);
      };
      frame.addEventListener('pointermove', move);
      frame.addEventListener('pointerup', up);
      frame.addEventListener('pointercancel', up);
    });
    frame.addEventListener('keydown', (e) => {
      if ((e.target as Element).closest('[data-toggle]') && (e.key === 'Enter' || e.key === ' ')) return;
      const done = this.key(e.key);
      if (done) e.preventDefault();
    });
  }

  get scale(): number {
    return this.k;
  }

  /** What the drawing measures, for Fit. */
  setContent(width: number, height: number): void {
    this.content = { width, height };
  }

  /**
   * The whole drawing in view, centred, never larger than 1:1. `readable`: never smaller than
   * that either (a graph of 100+ nodes opens at its top, legible, to be panned; Fit shows it all).
   */
  fit(readable = 0): void {
    const w = this.frame.clientWidth || 800;
    const h = this.frame.clientHeight || 600;
    const { width, height } = this.content;
    if (!width || !height) return this.set(1, 0, 0);
    const k = clamp(Math.max(Math.min(w / width, h / height, 1), Math.min(readable, 1)));
    this.set(k, (w - width * k) / 2, Math.max(0, (h - height * k) / 2));
  }

  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const p = at ?? { x: (this.frame.clientWidth || 800) / 2, y: (this.frame.clientHeight || 600) / 2 };
    const k = clamp(this.k * factor);
    // The point under `p` stays there.
    this.set(k, p.x - ((p.x - this.x) * k) / this.k, p.y - ((p.y - this.y) * k) / this.k);
  }

  panBy(dx: number, dy: number): void {
    this.set(this.k, this.x + dx, this.y + dy);
  }

  /** A key's zoom or pan; false when the key is not one of them. */
  key(key: string): boolean {
    switch (key) {
      case '+':
      case '=':
        this.zoomBy(STEP);
        return true;
      case '-':
      case '_':
        this.zoomBy(1 / STEP);
        return true;
      case '0':
        this.fit();
        return true;
      case 'ArrowLeft':
        this.panBy(PAN, 0);
        return true;
      case 'ArrowRight':
        this.panBy(-PAN, 0);
        return true;
      case 'ArrowUp':
        this.panBy(0, PAN);
        return true;
      case 'ArrowDown':
        this.panBy(0, -PAN);
        return true;
      default:
        return false;
    }
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const box = this.frame.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private set(k: number, x: number, y: number): void {
    this.k = k;
    this.x = x;
    this.y = y;
    this.target.setAttribute('transform', `translate(${round(x)} ${round(y)}) scale(${round(k, 1000)})`);
  }
}

function clamp(k: number): number {
  return Math.min(MAX, Math.max(MIN, k));
}

function round(n: number, by = 10): number {
  return Math.round(n * by) / by;
}
