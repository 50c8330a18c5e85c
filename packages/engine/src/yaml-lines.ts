import { isMap, isSeq, type LineCounter, type Node } from "yaml";

/** The line of the deepest YAML node along `path` (1 when nothing matches). */
export function lineOfPath(root: Node | null, path: PropertyKey[], lines: LineCounter): number {
  let node: Node | null = root;
  let best = node?.range ? lines.linePos(node.range[0]).line : 1;
  for (const key of path) {
    let next: Node | null = null;
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown })?.value === key);
      if (pair) {
        const keyNode = pair.key as Node;
        if (keyNode?.range) best = lines.linePos(keyNode.range[0]).line;
        next = (pair.value as Node) ?? null;
      }
    } else if (isSeq(node) && typeof key === "number") {
      next = (node.items[key] as Node) ?? null;
    }
    if (!next) break;
    if (next.range) best = lines.linePos(next.range[0]).line;
    node = next;
  }
  return best;
}
