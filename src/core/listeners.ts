/** A minimal event source for core code (vscode.EventEmitter is not available here). */
export type Listener<T> = (value: T) => void;

export class Listeners<T> {
  private readonly set = new Set<Listener<T>>();

  /** Subscribes; the returned object's dispose() unsubscribes (the shape vscode.Disposable has). */
  readonly on = (listener: Listener<T>): { dispose(): void } => {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch {
        // One listener's bug must not stop the others nor the tracker.
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
