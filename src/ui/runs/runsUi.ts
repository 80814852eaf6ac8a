/** What the background-run UI (status bar, list, notices, cancel) needs besides the tracker. */
import type { RunRef } from '../../core/refs';
import type { RunTracker } from '../../core/tracker';

export interface RunsUi {
  readonly tracker: RunTracker;
  /** A deployment URL's configured name (the registry's). */
  name(deploymentUrl: string): string;
  /** Opens the thread result panel about a run. */
  open(run: RunRef): void;
}
