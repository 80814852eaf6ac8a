/**
 * How big a run file may be. The dev server takes any body, but a file this large is not an input
 * anyone writes by hand: parsing, validating and sending it would stall the editor, and hosted
 * deployments refuse large bodies anyway. Large data belongs in the store or behind a URL.
 */
import type { RunFileProblem } from './problems';

export const MAX_RUN_FILE_BYTES = 10 * 1024 * 1024;

export function sizeProblem(size: number): RunFileProblem {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return {
    line: 1,
    column: 1,
    offset: 0,
    length: 1,
    path: [],
    message: `the file is ${mb(size)}; run files are limited to ${mb(MAX_RUN_FILE_BYTES)} (put large data in the store or behind a URL the graph reads)`,
    severity: 'error',
  };
}
