// What the API reference page shows of the OpenAPI document: operations by
// tag, and each input's fields as short type strings. Pure.
import type { OpenApiDocument } from "@hourglass/engine/api";

type Schema = Record<string, any>;

export interface FieldView {
  name: string;
  type: string;
  required: boolean;
  /** Default, bounds, pattern: what the schema says besides the type. */
  notes: string[];
}

export interface OperationView {
  id: string;
  method: "GET" | "POST";
  path: string;
  kind: "query" | "mutation";
  description: string;
  /** Top-level fields of the input; null = the procedure takes no input. */
  fields: FieldView[] | null;
  public: boolean;
}

const resolve = (schema: Schema, doc: OpenApiDocument): Schema => {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const found = doc.components.schemas[ref.replace("#/components/schemas/", "")];
  return found ? resolve(found, doc) : {};
};

/** A schema as a short type: `string`, `1 | 2 | 3`, `{ body, priority }[]`, `"noop" | …`. */
export function typeOf(schema: Schema, doc: OpenApiDocument, depth = 0): string {
  const s = resolve(schema, doc);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union) return [...new Set(union.map((u) => typeOf(u, doc, depth)))].join(" | ");
  if (s.type === "array") return `${wrap(typeOf(s.items ?? {}, doc, depth + 1))}[]`;
  if (s.type === "object") {
    const keys = Object.keys(s.properties ?? {});
    if (keys.length === 0) {
      return s.additionalProperties ? `{ [key]: ${typeOf(s.additionalProperties, doc, depth + 1)} }` : "object";
    }
    return depth >= 1 ? `{ ${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""} }` : `{ ${keys.join(", ")} }`;
  }
  if (Array.isArray(s.type)) return s.type.join(" | ");
  return typeof s.type === "string" ? s.type : "any";
}

const wrap = (t: string) => (t.includes(" | ") ? `(${t})` : t);

function notesOf(schema: Schema, doc: OpenApiDocument): string[] {
  const s = resolve(schema, doc);
  const notes: string[] = [];
  if (s.default !== undefined) notes.push(`default ${JSON.stringify(s.default)}`);
  if (s.minimum !== undefined || s.maximum !== undefined) notes.push(`${s.minimum ?? "…"} – ${s.maximum ?? "…"}`);
  if (s.maxLength !== undefined) notes.push(`at most ${s.maxLength} characters`);
  if (s.maxItems !== undefined) notes.push(`at most ${s.maxItems} items`);
  if (s.pattern !== undefined) notes.push(`matches ${s.pattern}`);
  return notes;
}

/** The object a field holds, or the object each of its items is (its fields are listed under it). */
function nestedObject(schema: Schema, doc: OpenApiDocument): { schema: Schema; suffix: string } | null {
  const s = resolve(schema, doc);
  if (s.type === "object" && s.properties) return { schema: s, suffix: "." };
  const items = s.type === "array" && s.items ? resolve(s.items, doc) : null;
  return items?.type === "object" && items.properties ? { schema: items, suffix: "[]." } : null;
}

/** The input's fields, and those of the objects in it (`jobs[].priority`), two levels down. */
function fieldsOf(schema: Schema | undefined, doc: OpenApiDocument, prefix = "", depth = 0): FieldView[] | null {
  if (!schema) return null;
  const s = resolve(schema, doc);
  const required = new Set<string>(s.required ?? []);
  return Object.entries((s.properties ?? {}) as Record<string, Schema>).flatMap(([name, p]) => {
    const field = { name: prefix + name, type: typeOf(p, doc), required: required.has(name), notes: notesOf(p, doc) };
    const inner = depth < 1 ? nestedObject(p, doc) : null;
    return inner ? [field, ...fieldsOf(inner.schema, doc, `${prefix}${name}${inner.suffix}`, depth + 1)!] : [field];
  });
}

/** The operations of the document, grouped by tag in the document's order. */
export function operationsByTag(doc: OpenApiDocument): { tag: string; description: string; operations: OperationView[] }[] {
  const groups = doc.tags.map((t) => ({ tag: t.name, description: t.description, operations: [] as OperationView[] }));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Schema>)) {
      const input = method === "get" ? op.parameters?.[0]?.content?.["application/json"]?.schema
        : op.requestBody?.content?.["application/json"]?.schema;
      const view: OperationView = {
        id: op.operationId, method: method === "get" ? "GET" : "POST", path, kind: method === "get" ? "query" : "mutation",
        description: op.description, fields: fieldsOf(input, doc),
        public: (op.security as object[]).some((r) => Object.keys(r).length === 0),
      };
      groups.find((g) => g.tag === op.tags[0])?.operations.push(view);
    }
  }
  return groups;
}

/** A curl command that makes the call, with an empty input to fill in (the token from $HOURGLASS_TOKEN). */
export function curlOf(op: OperationView, origin: string): string {
  const auth = op.public ? "" : ` -H "authorization: Bearer $HOURGLASS_TOKEN"`;
  const input = op.fields === null ? "" : "{}";
  if (op.method === "GET") return `curl -s -G${auth} ${origin}${op.path}${input && ` --data-urlencode 'input=${input}'`}`;
  return `curl -s -X POST${auth} -H 'content-type: application/json' ${origin}${op.path}${input && ` -d '${input}'`}`;
}
