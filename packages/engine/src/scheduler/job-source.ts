import { isMap, isSeq, type Document, type Node } from "yaml";

/**
 * Each job's YAML exactly as its project file wrote it (comments, key order,
 * flow or block style kept), keyed by position in the `jobs` list, so the
 * dashboard shows a definition as its author wrote it rather than as the
 * parsed structure. The text is dedented to the job's own indentation.
 */
export function jobSources(doc: Document, text: string): (string | undefined)[] {
  const root = doc.contents as Node | null;
  if (!isMap(root)) return [];
  const jobs = root.items.find((it) => (it.key as { value?: unknown } | null)?.value === "jobs")?.value as Node | undefined;
  if (!isSeq(jobs)) return [];
  return jobs.items.map((item) => {
    const range = (item as Node | null)?.range;
    if (!range) return undefined;
    const lineStart = text.lastIndexOf("\n", range[0] - 1) + 1;
    const indent = range[0] - lineStart;
    const lines = text.slice(range[0], range[1]).replace(/\s+$/, "").split("\n");
    const strip = new RegExp(`^ {0,${indent}}`);
    return [lines[0], ...lines.slice(1).map((l) => l.replace(strip, ""))].join("\n");
  });
}
