/**
 * Gathers what happens within a short window into one batch, so that twenty runs ending together
 * make one notification, not twenty. The window opens at the first item and does not slide, so a
 * steady trickle still gets reported every `windowMs`.
 */
import type { Clock } from './clock';

export class Batcher<T> {
  private pending: T[] = [];
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly flush: (items: T[]) => void,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    this.timer ??= this.clock.setTimeout(() => this.flushNow(), this.windowMs);
  }

  flushNow(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.pending;
    this.pending = [];
    if (items.length > 0) this.flush(items);
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
