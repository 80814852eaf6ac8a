/**
 * A webview page's one handle on VS Code (`acquireVsCodeApi`, which may be called once per page
 * load), typed by the page's protocol: what it posts and what it keeps across reloads. The thread
 * page and the graph page each make theirs once (their vscodeApi.ts).
 */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface WebviewHandle<From, State> {
  post(message: From): void;
  saveState(state: State): void;
  /** What the page saved before it was last torn down (unchecked: the caller reads it with care). */
  savedState(): unknown;
}

export function webviewHandle<From, State>(): WebviewHandle<From, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    saveState: (state) => api.setState(state),
    savedState: () => api.getState(),
  };
}
