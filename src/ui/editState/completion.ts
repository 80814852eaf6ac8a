/**
 * Completion in "Edit State…" documents: the state schema's top-level fields where a key of the
 * top-level object goes. VS Code's JSON language service is not given these schemas. Tried: a
 * `jsonValidation` entry `{"fileMatch": "/Edit *.json", "url": "langgraph-schema:/…"}` with a
 * TextDocumentContentProvider serving the schema does complete its keys in these documents, but
 * it maps a fixed pattern to one fixed URL, and each document needs its own assistant's schema,
 * named nowhere in its path (the path is only the tab's title). A `$schema` key would name it,
 * but would sit in the values the user edits, and the JSON service would then also mark every
 * message against the message schemas servers publish (which describe almost nothing a server
 * sends: see inputMismatches.ts `relaxMessages`). So the extension offers the keys itself.
 */
import * as vscode from 'vscode';
import { getLocation } from 'jsonc-parser';
import { checkpointNameOf, EDIT_SCHEME } from './editUri';
import type { StateSchemas } from './stateSchemas';

export function registerStateCompletion(schemas: StateSchemas): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider({ scheme: EDIT_SCHEME }, new StateCompletion(schemas), '"');
}

class StateCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly schemas: StateSchemas) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const name = checkpointNameOf(document.uri);
    if (!name) return [];
    const text = document.getText();
    const offset = document.offsetAt(position);
    const location = getLocation(text, offset);
    const atTopKey = location.path.length === 0 || (location.path.length === 1 && location.isAtPropertyKey);
    if (!atTopKey) return [];
    const schema = await this.schemas.of(name.deploymentUrl, name.threadId);
    if ('unavailable' in schema) return [];
    // Inside a key's quotes, the quoted key is replaced; elsewhere a new `"key": ` is written.
    const node = location.previousNode;
    const inKey = location.isAtPropertyKey && node?.type === 'string';
    const range = inKey ? new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length)) : undefined;
    return schema.fields.map((field) => {
      const item = new vscode.CompletionItem(field.name, vscode.CompletionItemKind.Property);
      item.detail = 'state field';
      if (field.description) item.documentation = field.description;
      item.insertText = inKey ? JSON.stringify(field.name) : `${JSON.stringify(field.name)}: `;
      if (range) {
        item.range = range;
        item.filterText = JSON.stringify(field.name);
      }
      return item;
    });
  }
}
