/** The webview's one handle on VS Code, typed by the shared protocol. */
import type { FromWebview, WebviewState } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page load.
const api = acquireVsCodeApi();

export function post(message: FromWebview): void {
  api.postMessage(message);
}

export function saveState(state: WebviewState): void {
  api.setState(state);
}

export function savedState(): unknown {
  return api.getState();
}
