// fast-check arbitraries for API fuzzing: a valid-shaped input derived from a
// procedure's zod schema (through its JSON Schema), and the same input with
// one value or key replaced by a poison.
import fc from "fast-check";
import { z } from "zod";

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** A value to use for a field instead of a generated one (ids of fixtures, so inputs reach the database). */
export type Hint = (key: string, schema: JsonSchema) => fc.Arbitrary<unknown> | undefined;

export function jsonSchemaOf(input: z.ZodType): JsonSchema {
  return z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** Values of the shape `schema` describes; refinements the JSON Schema cannot express may still fail. */
export function shaped(schema: JsonSchema, hint: Hint, key = ""): fc.Arbitrary<unknown> {
  const hinted = hint(key, schema);
  if (hinted) return hinted;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => shaped(s, hint, key)));
  switch (schema.type) {
    case "string":
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      if (schema.format === "uri") return fc.webUrl();
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) });
    case "integer":
      return fc.integer({ min: Math.max(schema.minimum ?? -1e6, -1e15), max: Math.min(schema.maximum ?? 1e6, 1e15) });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = Math.max(schema.minItems ?? 0, 1);
      return fc.array(shaped(schema.items ?? {}, hint, key), { minLength, maxLength: Math.max(minLength, 2) });
    }
    case "object": {
      const props = schema.properties;
      const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
      if (props) {
        const fields = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, shaped(s, hint, k)]));
        return fc.record(fields, { requiredKeys: schema.required ?? [] });
      }
      const names = schema.propertyNames;
      const keys = names ? shaped(names, hint, `${key}[key]`) : fc.string({ maxLength: 10 });
      const values = extra ? shaped(extra, hint, key) : fc.jsonValue({ maxDepth: 2 });
      return fc.dictionary(keys as fc.Arbitrary<string>, values, { minKeys: 1, maxKeys: 3 });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A place in a JSON value: the value at `path`, or (key) the name of the property at `path`. */
interface Position {
  path: (string | number)[];
  key: boolean;
}

function positions(value: unknown, path: (string | number)[] = [], out: Position[] = []): Position[] {
  out.push({ path, key: false });
  if (Array.isArray(value)) value.forEach((v, i) => positions(v, [...path, i], out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ path: [...path, k], key: true });
      positions(v, [...path, k], out);
    }
  }
  return out;
}

/**
 * A poison: a change to one place of an input. `on` picks the kind of place:
 * a string value, a number value, a property name, or any value at all
 * (containers and the whole input included).
 */
export interface Poison {
  on: "string" | "number" | "key" | "any";
  change: (original: unknown) => unknown;
}

function fits(p: Position, value: unknown, on: Poison["on"]): boolean {
  if (on === "key") return p.key;
  if (p.key) return false;
  if (on === "any") return true;
  return typeof valueAt(value, p.path) === on;
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, step) => (v as Record<string | number, unknown>)[step], value);
}

/**
 * `value` with one place changed by `poison`: the `index`-th (modulo their
 * number) of the places it fits, or of all values when none fits. `value`
 * itself is not changed.
 */
export function poisonAt(value: unknown, index: number, poison: Poison): unknown {
  const all = positions(value);
  const fitting = all.filter((p) => fits(p, value, poison.on));
  const candidates = fitting.length > 0 ? fitting : all.filter((p) => !p.key);
  const { path, key } = candidates[index % candidates.length]!;
  if (path.length === 0) return poison.change(value);
  const root = structuredClone(value) as Record<string | number, unknown>;
  const parent = valueAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (!key) {
    parent[last] = poison.change(parent[last]);
    return root;
  }
  const name = String(poison.change(last));
  const renamed = Object.fromEntries(Object.entries(parent).map(([k, v]) => [k === last ? name : k, v]));
  for (const k of Object.keys(parent)) delete parent[k];
  Object.assign(parent, renamed);
  return root;
}

const DEEP = /"\\u0001deep:(\d+):([ao])\\u0001"/g;

/** A marker for JSON nested `depth` levels (arrays or objects), written in place by toJsonText. */
export const deep = (depth: number, as: "a" | "o") => `\u0001deep:${depth}:${as}\u0001`;

/** JSON text of `value`, each `deep` marker replaced by raw nested JSON (which JSON.stringify could not write). */
export function toJsonText(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return text?.replace(DEEP, (_, n: string, as: string) => {
    const depth = Number(n);
    return as === "a" ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  });
}
