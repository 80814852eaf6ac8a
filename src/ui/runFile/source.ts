/**
 * A run file's text: the editor's text when the file is open (unsaved changes are what runs),
 * else the file's bytes, which must be UTF-8.
 */
import * as vscode from 'vscode';
import { decodeRunFile, MAX_RUN_FILE_BYTES, parseRunFile, sizeProblem, type ParsedRunFile, type RunFileProblem } from '../../core/runFile';

export interface RunFileSource {
  uri: vscode.Uri;
  /** For messages: the file's name. */
  name: string;
  parsed: ParsedRunFile;
}

export async function readRunFile(uri: vscode.Uri): Promise<RunFileSource> {
  const name = fileName(uri);
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document) return { uri, name, parsed: parseRunFile(document.getText(), { jsonc: document.languageId === 'jsonc' }) };
  const jsonc = /\.jsonc$/i.test(uri.path);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { uri, name, parsed: invalid('this is a folder, not a JSON file') };
    // Checked before reading, so a huge file is never loaded.
    if (stat.size > MAX_RUN_FILE_BYTES) return { uri, name, parsed: { ok: false, problems: [sizeProblem(stat.size)] } };
    const decoded = decodeRunFile(await vscode.workspace.fs.readFile(uri));
    return { uri, name, parsed: decoded.ok ? parseRunFile(decoded.text, { jsonc }) : { ok: false, problems: [decoded.problem] } };
  } catch (error) {
    const reason = error instanceof vscode.FileSystemError && error.code === 'FileNotFound' ? 'the file does not exist' : `the file cannot be read: ${(error as Error).message}`;
    return { uri, name, parsed: invalid(reason) };
  }
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

function invalid(message: string): ParsedRunFile {
  const problem: RunFileProblem = { line: 1, column: 1, offset: 0, length: 0, path: [], message, severity: 'error' };
  return { ok: false, problems: [problem] };
}

