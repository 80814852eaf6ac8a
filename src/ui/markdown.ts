/** Text from a server or a user, made inert inside markdown (tooltips): no links, no formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, '\\$&');
}
