/**
 * Which links from a deployment's content may be opened: absolute http(s) URLs only. Checked in
 * the webview's markdown renderer and again in the extension before it opens anything.
 */
export function isSafeExternalUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 8192) return false;
  // No control characters or whitespace: browsers strip them, which hides schemes ("java\tscript:").
  if (/[\u0000-\u0020\u007f]/.test(url)) return false;
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
