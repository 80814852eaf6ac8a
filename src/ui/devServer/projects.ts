/**
 * Finds the workspace's LangGraph projects: every `langgraph.json` outside dependencies, virtual
 * environments, .git and build output, read by core/devServer/project.ts. Problems become
 * diagnostics at their line. Scanned on first use (not at activation), again when a
 * `langgraph.json` is created, changed or deleted.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseProject, type Project } from '../../core/devServer/project';
import { logError } from '../log';

export const PROJECT_EXCLUDES = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/dist/**}';
export const DIAGNOSTIC_SOURCE = 'LangGraph project';

export class WorkspaceProjects implements vscode.Disposable {
  private scan: Promise<Project[]> | undefined;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('langgraph-project');
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/langgraph.json');
  private readonly emitter = new vscode.EventEmitter<void>();
  private timer: NodeJS.Timeout | undefined;
  /** Fires after a rescan found a different set of projects (or problems). */
  readonly onDidChange = this.emitter.event;

  constructor() {
    const later = () => this.rescanSoon();
    this.watcher.onDidCreate(later);
    this.watcher.onDidChange(later);
    this.watcher.onDidDelete(later);
  }

  /** The projects, scanned the first time. */
  list(): Promise<Project[]> {
    this.scan ??= this.find();
    return this.scan;
  }

  /** The project of this `langgraph.json` (or of the folder holding it). */
  async get(configFileOrFolder: string): Promise<Project | undefined> {
    return (await this.list()).find((p) => p.configFile === configFileOrFolder || p.folder === configFileOrFolder);
  }

  /** Scans again now; resolves with the new list. */
  async rescan(): Promise<Project[]> {
    const before = this.scan ? JSON.stringify(await this.scan.catch(() => [])) : undefined;
    this.scan = this.find();
    const now = await this.scan;
    if (JSON.stringify(now) !== before) this.emitter.fire();
    return now;
  }

  /** Reads one `langgraph.json` again (before a start: what is on disk now is what starts). */
  async reread(project: Project): Promise<Project> {
    const fresh = await readProject(vscode.Uri.file(project.configFile));
    if (!fresh) return project;
    this.diagnose(fresh);
    return fresh;
  }

  private rescanSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.rescan().catch((e) => logError('Finding langgraph.json files', e)), 300);
  }

  private async find(): Promise<Project[]> {
    const uris = await vscode.workspace.findFiles('**/langgraph.json', PROJECT_EXCLUDES);
    const projects = (await Promise.all(uris.filter((u) => u.scheme === 'file').map(readProject))).filter((p): p is Project => !!p);
    projects.sort((a, b) => a.configFile.localeCompare(b.configFile));
    this.diagnostics.clear();
    for (const p of projects) this.diagnose(p);
    return projects;
  }

  private diagnose(project: Project): void {
    const list = project.problems.map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(p.line, p.character, p.endLine, p.endCharacter), p.message, vscode.DiagnosticSeverity.Error);
      d.source = DIAGNOSTIC_SOURCE;
      return d;
    });
    this.diagnostics.set(vscode.Uri.file(project.configFile), list);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.diagnostics.dispose();
    this.watcher.dispose();
    this.emitter.dispose();
  }
}

async function readProject(uri: vscode.Uri): Promise<Project | undefined> {
  try {
    // What the editor holds (maybe unsaved) is not what the CLI reads: the file on disk is.
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return parseProject(uri.fsPath, text, (file) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    });
  } catch (e) {
    logError(`Reading ${uri.fsPath}`, e);
    return undefined;
  }
}
