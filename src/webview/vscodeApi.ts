/** The thread page's one handle on VS Code, typed by the shared protocol. */
import { webviewHandle } from '../shared/webviewHandle';
import type { FromWebview, WebviewState } from './protocol';

export const { post, saveState, savedState } = webviewHandle<FromWebview, WebviewState>();
