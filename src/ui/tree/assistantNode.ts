/**
 * A deployment's assistants, above its threads: one collapsible "Assistants" item with the count,
 * whose children are the assistants. An assistant item is a `GraphTarget` ({deploymentUrl,
 * assistantId}), so Show Graph and Create Run from JSON File… take it as it is.
 */
import * as vscode from 'vscode';
import { MAX_LISTED, type Assistant, type AssistantList } from '../../api';
import type { Deployment } from '../../core/deployments';
import { plural } from '../../shared/text';
import { assistantName } from '../graphPanel/graphPanel';
import { describeError } from '../log';
import { ErrorNode, MessageNode } from './messageNodes';
import { TreeNode } from './node';

export class AssistantsNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly deployment: Deployment,
    private readonly list: AssistantList | { error: unknown },
  ) {
    super(parent);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Assistants', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `deployment|${this.deployment.id}|assistants`;
    item.iconPath = new vscode.ThemeIcon('hubot');
    item.contextValue = 'assistants';
    if ('error' in this.list) {
      item.description = 'could not be listed';
      item.tooltip = describeError(this.list.error, true);
    } else {
      const { items, truncated } = this.list;
      item.description = `${items.length}${truncated ? '+' : ''}`;
      item.tooltip = truncated ? `The first ${items.length} assistants` : plural(items.length, 'assistant');
    }
    return item;
  }

  children(): TreeNode[] {
    const id = `deployment|${this.deployment.id}|assistants`;
    if ('error' in this.list) return [new ErrorNode(this, `${id}|error`, describeError(this.list.error), describeError(this.list.error, true))];
    const nodes: TreeNode[] = this.list.items.map((a) => new AssistantNode(this, this.deployment, a));
    if (nodes.length === 0) nodes.push(new MessageNode(this, `${id}|empty`, 'No assistants: is a graph deployed there?'));
    if (this.list.truncated) nodes.push(new MessageNode(this, `${id}|truncated`, `Only the first ${MAX_LISTED} are listed`));
    return nodes;
  }
}

export class AssistantNode extends TreeNode {
  /** With `assistantId`, what makes this item a GraphTarget (showGraph.ts) for the menu commands. */
  readonly deploymentUrl: string;
  readonly assistantId: string;

  constructor(
    parent: TreeNode,
    readonly deployment: Deployment,
    readonly assistant: Assistant,
  ) {
    super(parent);
    this.deploymentUrl = deployment.id;
    this.assistantId = assistant.assistant_id;
  }

  treeItem(): vscode.TreeItem {
    const a = this.assistant;
    const item = new vscode.TreeItem(assistantName(a), vscode.TreeItemCollapsibleState.None);
    item.id = `deployment|${this.deployment.id}|assistant|${a.assistant_id}`;
    item.description = [a.graph_id, typeof a.version === 'number' ? `v${a.version}` : undefined].filter(Boolean).join(' · ');
    item.tooltip = [a.assistant_id, a.description ?? undefined].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon('type-hierarchy');
    item.contextValue = 'assistant';
    return item;
  }
}
