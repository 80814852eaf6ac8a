/**
 * Paged children for a node: the first page on first expand, "Load more…" appends the next page
 * to this subtree only. Items already shown are not shown twice when the list shifted between
 * pages (new threads arrive at the top while the user pages down).
 */
import type { Page } from '../../api';

export type PageLoader<T> = (offset: number, limit: number) => Promise<Page<T>>;

export class Pager<T> {
  private items: T[] = [];
  private readonly seen = new Set<string>();
  private offset = 0;
  private more = false;
  private firstLoaded = false;
  private inFlight: Promise<void> | undefined;
  error: unknown;

  constructor(
    private readonly load: PageLoader<T>,
    private readonly keyOf: (item: T) => string,
    private readonly pageSize: () => number,
  ) {}

  get hasMore(): boolean {
    return this.more && this.error === undefined;
  }

  get loading(): boolean {
    return this.inFlight !== undefined;
  }

  /** The items so far, loading the first page if nothing was loaded yet. */
  async current(): Promise<readonly T[]> {
    if (!this.firstLoaded) await this.next();
    return this.items;
  }

  /** What is loaded now, without loading anything. */
  loaded(): readonly T[] {
    return this.items;
  }

  /** Loads the next page (one at a time: a second click while loading does nothing more). */
  next(): Promise<void> {
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  reset(): void {
    this.items = [];
    this.seen.clear();
    this.offset = 0;
    this.more = false;
    this.firstLoaded = false;
    this.error = undefined;
  }

  private async fetch(): Promise<void> {
    try {
      const page = await this.load(this.offset, this.pageSize());
      for (const item of page.items) {
        const key = this.keyOf(item);
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        this.items.push(item);
      }
      this.offset += page.items.length;
      this.more = page.hasMore && page.items.length > 0;
      this.error = undefined;
    } catch (error) {
      this.error = error;
    } finally {
      this.firstLoaded = true;
    }
  }
}
