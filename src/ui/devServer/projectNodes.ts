/**
 * The workspace's LangGraph projects in the Deployments view: one item per `langgraph.json`
 * (stopped, starting, running on port N, or invalid), its graphs as children.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Project } from '../../core/devServer/project';
import { errorIcon } from '../tree/icons';
import { TreeNode } from '../tree/node';

export type ProjectState = { kind: 'stopped' } | { kind: 'starting' } | { kind: 'running'; port: number; url: string };

export function projectDescription(project: Project, state: ProjectState): string {
  const language = project.language === 'js' ? 'JS' : 'Python';
  if (project.problems.length) return `invalid langgraph.json`;
  switch (state.kind) {
    case 'stopped':
      return `${language} · stopped`;
    case 'starting':
      return `${language} · starting…`;
    case 'running':
      return `${language} · running on port ${state.port}`;
  }
}

export class ProjectNode extends TreeNode {
  constructor(
    readonly project: Project,
    readonly state: ProjectState,
  ) {
    super(undefined);
  }

  treeItem(): vscode.TreeItem {
    const { project, state } = this;
    const item = new vscode.TreeItem(project.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `project|${project.configFile}`;
    item.description = projectDescription(project, state);
    const invalid = project.problems.length > 0;
    item.iconPath = invalid
      ? errorIcon()
      : state.kind === 'running'
        ? new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'))
        : state.kind === 'starting'
          ? new vscode.ThemeIcon('loading~spin')
          : new vscode.ThemeIcon('vm-outline');
    item.contextValue = `langgraphProject.${invalid ? 'invalid' : state.kind}`;
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendText(`${project.configFile}\n`);
    tip.appendText(`${project.language === 'js' ? 'JS' : 'Python'} LangGraph project, ${project.graphs.length} graph(s)\n`);
    if (state.kind === 'running') tip.appendText(`Dev server: ${state.url}\n`);
    for (const p of project.problems) tip.appendText(`Line ${p.line + 1}: ${p.message}\n`);
    item.tooltip = tip;
    return item;
  }

  children(): TreeNode[] {
    return this.project.graphs.map((g) => new GraphNode(this, g.id, g.file, this.project.folder));
  }
}

export class GraphNode extends TreeNode {
  constructor(
    parent: ProjectNode,
    readonly graphId: string,
    readonly file: string,
    private readonly folder: string,
  ) {
    super(parent);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.graphId, vscode.TreeItemCollapsibleState.None);
    item.id = `project|${(this.parent as ProjectNode).project.configFile}|graph|${this.graphId}`;
    item.description = path.relative(this.folder, this.file);
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    item.contextValue = 'langgraphProjectGraph';
    item.command = { command: 'vscode.open', title: 'Open Graph File', arguments: [vscode.Uri.file(this.file)] };
    return item;
  }
}
