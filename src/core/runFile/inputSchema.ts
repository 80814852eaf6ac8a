/**
 * Checks a run's input against the input JSON Schema the assistant publishes
 * (`GET /assistants/{id}/schemas`), so a misspelt field is caught before the graph silently
 * ignores it. Mismatches are warnings: the user may send anyway.
 *
 * The schema comes from the deployment and a check against it can take without bound (a
 * `pattern` with catastrophic backtracking doubles its time with every letter of the input), so
 * the check itself (inputMismatches.ts) runs in a worker thread with a time budget
 * (schemaCheckWorker.ts): a check that takes too long is skipped, and the editor never waits on it.
 */
import type { InputMismatch } from './inputMismatches';
import { isRecord } from '../../shared/isRecord';
import { formatPath, type JsonPath, type RunFileProblem } from './problems';

export type { InputMismatch } from './inputMismatches';

export type InputCheck =
  | { status: 'checked'; mismatches: InputMismatch[] }
  /**
   * Not checked: 'too slow' (past the time budget), 'unusable' (the validator cannot use the
   * schema) or 'failed' (the worker failed). `detail` says why in words ("it took longer than 2 s").
   */
  | { status: 'skipped'; reason: 'too slow' | 'unusable' | 'failed'; detail: string };

/** Checks an input, within `budgetMs` (else the runner's budget); never rejects. */
export type InputChecker = (input: unknown, budgetMs?: number) => Promise<InputCheck>;

/** Where checks run (a SchemaCheckWorker): off the caller's thread, within a budget; never rejects. */
export interface SchemaCheckRunner {
  check(schema: Record<string, unknown>, input: unknown, budgetMs?: number): Promise<InputCheck>;
  /** Gets ready for a check that is likely to come (starts the worker). */
  warm?(): void;
}

/**
 * A checker for the schema, or undefined when the schema says nothing worth checking (absent,
 * `{}`, or a bare `{"type": "object"}`). The schema is not changed (it is cached and shared).
 */
export function inputChecker(rawSchema: unknown, runner: SchemaCheckRunner): InputChecker | undefined {
  if (!isRecord(rawSchema)) return undefined;
  const schema = rawSchema as Record<string, unknown>;
  const meaningful = Object.keys(schema).filter((k) => !['$schema', 'type', 'title', 'description', 'definitions', '$defs'].includes(k));
  if (meaningful.length === 0) return undefined;
  return (input, budgetMs) => runner.check(schema, input, budgetMs);
}

/** Mismatches as warnings at their place in the file (the input is at `inputPath`). */
export function mismatchProblems(
  mismatches: readonly InputMismatch[],
  inputPath: JsonPath,
  place: (path: JsonPath) => Pick<RunFileProblem, 'line' | 'column' | 'offset' | 'length'>,
): RunFileProblem[] {
  return mismatches.map((m) => {
    const path = [...inputPath, ...m.path];
    return { ...place(path), path, message: `${path.length ? formatPath(path) : 'the input'}: ${m.what}`, severity: 'warning' };
  });
}
