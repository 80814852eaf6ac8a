/**
 * What is wrong with a run file, said so that a person can find and fix it: where (line and
 * column, 1-based, and the JSON path) and what. The UI turns each into a diagnostic and a message.
 */

export type JsonPath = (string | number)[];

export interface RunFileProblem {
  /** 1-based, as editors show them. */
  line: number;
  column: number;
  /** Character offset and length in the text, for the diagnostic's range. */
  offset: number;
  length: number;
  /** Where in the JSON, e.g. ["config", "recursion_limit"]; [] for the whole file. */
  path: JsonPath;
  message: string;
  /** 'error' stops the run; 'warning' (input-schema mismatches) lets the user send anyway. */
  severity: 'error' | 'warning';
}

/** `config.configurable["user id"]`, `interrupt_before[0]`; "the top level" for []. */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return 'the top level';
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$-]*$/.test(part) ? (i === 0 ? part : `.${part}`) : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

/** "line 3, column 5: …", what a message says about one problem. */
export function describeProblem(problem: RunFileProblem): string {
  return `line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

/** One line for a notification: the first problem, and how many more there are. */
export function summarizeProblems(fileName: string, problems: readonly RunFileProblem[]): string {
  const first = problems[0];
  if (!first) return `${fileName} is not a valid run file.`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return `${fileName}, ${describeProblem(first)}${more}`;
}
