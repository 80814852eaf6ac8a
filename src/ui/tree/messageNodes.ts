/** Leaf nodes that say something or offer one action: errors, "Load more…", hints. */
import * as vscode from 'vscode';
import { errorIcon } from './icons';
import { TreeNode } from './node';

export class MessageNode extends TreeNode {
  constructor(
    parent: TreeNode | undefined,
    private readonly id: string,
    private readonly label: string,
    private readonly options: { description?: string; tooltip?: string; icon?: vscode.ThemeIcon; command?: vscode.Command; contextValue?: string } = {},
  ) {
    super(parent);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.options.description;
    item.tooltip = this.options.tooltip;
    item.iconPath = this.options.icon;
    item.command = this.options.command;
    item.contextValue = this.options.contextValue ?? 'message';
    return item;
  }
}

/** A request failed: the message, and the way out as the item's click. */
export class ErrorNode extends MessageNode {
  constructor(parent: TreeNode, id: string, message: string, detail: string, command?: vscode.Command) {
    super(parent, id, message, { tooltip: detail, icon: errorIcon(), command, contextValue: 'error' });
  }
}

export class LoadMoreNode extends TreeNode {
  constructor(
    parent: TreeNode,
    private readonly id: string,
    private readonly loading: boolean,
  ) {
    super(parent);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.loading ? 'Loading…' : 'Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.loading ? 'loading~spin' : 'ellipsis');
    item.contextValue = 'loadMore';
    if (!this.loading) item.command = { command: 'langgraph.loadMore', title: 'Load More', arguments: [this.parent] };
    return item;
  }
}
