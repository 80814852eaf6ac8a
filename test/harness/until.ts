/** Polls `read` until `done` says so or `ms` pass; returns the last value either way. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000, everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
