/** Where a JSON path is in the text: the key of a property, or the value itself. */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { LineIndex } from './positions';
import type { JsonPath, RunFileProblem } from './problems';

export type Place = Pick<RunFileProblem, 'line' | 'column' | 'offset' | 'length'>;

export class Locator {
  constructor(
    private readonly root: Node,
    private readonly lines: LineIndex,
  ) {}

  /**
   * The node at `path`, or its nearest ancestor that exists. A property's key is the place (not
   * its value, which may span a hundred lines); an array item or the root is the value's first line.
   */
  place(path: JsonPath): Place {
    let node: Node | undefined;
    for (let n = path.length; n >= 0 && !node; n--) node = findNodeAtLocation(this.root, path.slice(0, n));
    node ??= this.root;
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return this.at(key ?? node);
  }

  /** The key node of a property at `path` (for unknown keys). */
  key(path: JsonPath): Place {
    const value = findNodeAtLocation(this.root, path);
    const key = value?.parent?.type === 'property' ? value.parent.children?.[0] : undefined;
    return key ? this.at(key) : this.place(path.slice(0, -1));
  }

  /** The value at `path`, as the file has it. */
  valueNode(path: JsonPath): Node | undefined {
    return findNodeAtLocation(this.root, path);
  }

  at(node: Node): Place {
    const single = node.type === 'object' || node.type === 'array' ? 1 : node.length;
    return { ...this.lines.position(node.offset), offset: node.offset, length: single };
  }
}
