/** A path segment from an id the user typed or a file held: never lets it change the path. */
export function segment(id: string): string {
  if (!id) throw new TypeError('An id is empty.');
  return encodeURIComponent(id);
}
