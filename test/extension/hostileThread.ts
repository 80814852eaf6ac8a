/**
 * A thread whose content attacks the panel: raw HTML and scripts, event handlers, javascript:
 * and data: links, markdown images and iframes pointing at a canary server, a 10,000-character
 * line and deeply nested JSON (40 levels: the JS dev server fails to serve state nested deeper than ~50). Every payload would set `window.__pwned` or hit `canary` if it ran.
 * Used by the extension test and the end-to-end check in the real browser. Run it on the `fail`
 * graph: the input is stored as it is, the run fails, and its error repeats the last human text.
 */
import { aiMessage, humanMessage } from '../harness/messages';

export const HOSTILE_TITLE = `<img src=x onerror="window.__pwned='title'"><script>window.__pwned='title-script'</script>`;

export function deepJson(depth: number): unknown {
  let value: unknown = { bottom: '<script>window.__pwned="deep"</script>' };
  for (let i = 0; i < depth; i++) value = { level: depth - i, next: value };
  return value;
}

export function hostileInput(canary: string): { messages: unknown[] } {
  const humanText = [
    `<script>window.__pwned = 'human-script'</script>`,
    `<img src="${canary}/human-img" onerror="window.__pwned='human-img'">`,
    `<svg onload="window.__pwned='svg'"></svg>`,
    `<iframe src="${canary}/iframe"></iframe>`,
    `<style>body { background: url(${canary}/css) }</style>`,
    `A very long line follows.`,
    'x'.repeat(10_000),
  ].join('\n\n');
  const aiText = [
    '# Results',
    `<script>window.__pwned = 'ai-script'</script>`,
    `<div onmouseover="window.__pwned='div'">hover me</div>`,
    `[a javascript link](javascript:window.__pwned='md-link')`,
    `[a data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)`,
    `[a vbscript link](vbscript:msgbox)`,
    `![an image](${canary}/md-img.png)`,
    `<a href="javascript:window.__pwned='html-link'">html link</a>`,
    `[a safe link](https://example.com/safe)`,
    `<https://example.com/auto>`,
    '```html\n<script>window.__pwned = "code"</script>\n```',
    `Long: ${'y'.repeat(10_000)}`,
  ].join('\n\n');
  return {
    messages: [
      humanMessage(humanText, { name: `<b onclick="window.__pwned='name'">name</b>` }),
      aiMessage(aiText, {
        tool_calls: [{ id: 'call_evil', name: `<img src=x onerror="window.__pwned='tool'">`, args: { html: '<script>window.__pwned="args"</script>' } }],
        // The JS dev server answers GET /state with 500 once values nest deeper than about 50 levels.
        additional_kwargs: { deep: deepJson(40) },
      }),
      humanMessage(`<script>window.__pwned='error'</script> please fail`),
    ],
  };
}
