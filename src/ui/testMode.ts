/**
 * Whether the extension runs under its own test suite (ExtensionMode.Test). Only then does
 * activate() hand out its internals, and only then do commands take the arguments that answer
 * their questions ahead: any extension can run our commands, none may skip a confirmation.
 */
let on = false;

export function setTestMode(value: boolean): void {
  on = value;
}

export function inTests(): boolean {
  return on;
}

/** The argument when running under the tests, else undefined (so the user is asked). */
export function testOnly<T>(value: T): T | undefined {
  return on ? value : undefined;
}
