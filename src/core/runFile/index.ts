/** Run files: the format, reading and checking them. No vscode import, no network. */
export { decodeRunFile, type DecodedRunFile } from './decode';
export { inputChecker, mismatchProblems, type InputCheck, type InputChecker, type InputMismatch, type SchemaCheckRunner } from './inputSchema';
export { parseRunFile, type ParsedRunFile, type RunBody, type RunFile } from './parse';
export { describeProblem, formatPath, summarizeProblems, type JsonPath, type RunFileProblem } from './problems';
export { REQUEST_MARKERS, RUN_REQUEST_KEYS, runFileSchema, runRequestSchema } from './schema';
export { MAX_RUN_FILE_BYTES, sizeProblem } from './size';
export { InputSchemaCache, within, type SchemaUnavailable } from './inputSchemaCache';
export { SchemaCheckWorker, type SchemaCheckWorkerOptions } from './schemaCheckWorker';
