/**
 * The panel's HTML shell as a string (no vscode import, so the bench serves the very same page):
 * a strict CSP (nothing by default; one script allowed by a crypto nonce; styles, fonts and
 * images only from the extension), the stylesheet and the bundled script. Content arrives later
 * through postMessage and is rendered as text.
 */
export interface ShellParts {
  /** The webview's `cspSource` (where extension files are served from). */
  cspSource: string;
  nonce: string;
  cssUri: string;
  scriptUri: string;
  title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function panelShell(parts: ShellParts): string {
  const title = escapeHtml(parts.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(parts.cssUri)}">
<title>${title}</title>
</head>
<body>
<div id="app" aria-live="polite"><p class="loading">Loading ${title}…</p></div>
<script nonce="${escapeHtml(parts.nonce)}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
