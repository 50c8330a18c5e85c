/**
 * The OpenAPI 3.1 document of the plain-JSON API, generated from the routers
 * themselves so it cannot drift: every procedure is one operation at its tRPC
 * HTTP path, its input schema converted from its zod schema (zod's own
 * toJSONSchema, as the input is sent: defaults make fields optional).
 * Queries are `GET /api/trpc/<path>?input=<URL-encoded JSON>` (or POST with a
 * JSON body, tRPC's method override), mutations `POST /api/trpc/<path>` with
 * a JSON body; results come as `{ result: { data } }`, failures as the error
 * envelope. Results are not typed here: the routers declare no output schemas
 * (TypeScript programs get them typed from @hourglass/client).
 */
import type { AnyTRPCRouter } from "@trpc/server";
import { z } from "zod";
import { HOURGLASS_VERSION } from "../chains/service.ts";
import type { Access } from "./access-check.ts";
import { ANYONE, ERROR_RESPONSE, ERROR_SCHEMA, resultSchema, SECURITY_SCHEMES, SIGNED_IN } from "./openapi-envelope.ts";

const ENDPOINT = "/api/trpc";

/** The part of a procedure this reads (tRPC keeps it in `_def`). */
interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  inputs: z.ZodType[];
  meta?: { access?: Access };
}

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: typeof SECURITY_SCHEMES;
    responses: Record<string, unknown>;
  };
  security: typeof SIGNED_IN;
  tags: { name: string; description: string }[];
}

const TAGS: Record<string, string> = {
  queues: "PinLater's queue service: queues, enqueue, dequeue, ack, checkpoint, lookups and bulk operations.",
  scheduler: "LUCI Scheduler: projects, jobs, triggers, invocations, pause / resume / abort.",
  requests: "Spin Cycle: request specs, requests and their job chains.",
  access: "Who am I, users and service accounts, API tokens, roles.",
};

const ACCESS_TEXT: Record<Access["kind"], string> = {
  anyone: "Anyone may call it, without credentials.",
  signedIn: "Any signed-in caller; it returns only what the caller may see.",
  scopes: "Needs scopes that depend on the input (the message of a 403 names the one missing).",
  resource: "Needs scopes on the resource it names; a resource the caller may not see answers 404, as a missing one.",
};

/**
 * The input's JSON Schema, with the definitions zod hoists for recursive parts
 * moved into components under `<name>.` and their references rewritten.
 */
function inputSchema(schema: z.ZodType, name: string, components: Record<string, JsonSchema>): JsonSchema {
  const { $schema: _, $defs, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
      k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")
        ? [k, `#/components/schemas/${name}.${v.slice("#/$defs/".length)}`]
        : [k, rewrite(v)]));
  };
  for (const [def, body] of Object.entries(($defs ?? {}) as Record<string, unknown>)) {
    components[`${name}.${def}`] = rewrite(body) as JsonSchema;
  }
  components[name] = rewrite(json) as JsonSchema;
  return { $ref: `#/components/schemas/${name}` };
}

function operation(path: string, def: ProcedureDef, components: Record<string, JsonSchema>) {
  const access = def.meta?.access;
  const [tag] = path.split(".");
  const op: Record<string, unknown> = {
    operationId: path,
    tags: [tag],
    summary: path,
    description: `${def.type === "query" ? "Query" : "Mutation"}. ` +
      (access ? ACCESS_TEXT[access.kind] : "Refuses every call."),
    security: access?.kind === "anyone" ? ANYONE : SIGNED_IN,
    responses: {
      "200": {
        description: "The result, in tRPC's envelope.",
        content: { "application/json": { schema: resultSchema(`What ${path} returns.`) } },
      },
      default: { $ref: "#/components/responses/Error" },
    },
  };
  // several .input() calls merge their objects, as tRPC does
  const input = def.inputs.length === 0 ? undefined : def.inputs.reduce((a, b) => z.intersection(a, b));
  if (!input) return op;
  const schema = inputSchema(input, `${path}.input`, components);
  const required = !input.safeParse(undefined).success;
  if (def.type === "query") {
    op.parameters = [{
      name: "input",
      in: "query",
      required,
      description: "The input as JSON, URL-encoded. Inputs too long for a URL: POST the JSON as the body instead.",
      content: { "application/json": { schema } },
    }];
  } else {
    op.requestBody = { required, content: { "application/json": { schema } } };
  }
  return op;
}

/** The document of `router` (the app's router, `appRouter`). */
export function openApiDocument(router: AnyTRPCRouter): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { Error: ERROR_SCHEMA as unknown as JsonSchema };
  const paths: OpenApiDocument["paths"] = {};
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDef }>;
  for (const [path, procedure] of Object.entries(procedures)) {
    const def = procedure._def;
    if (def.type === "subscription") continue;
    paths[`${ENDPOINT}/${path}`] = { [def.type === "query" ? "get" : "post"]: operation(path, def, schemas) };
  }
  const tags = [...new Set(Object.keys(procedures).map((p) => p.split(".")[0]!))];
  return {
    openapi: "3.1.0",
    info: {
      title: "Hourglass API",
      version: HOURGLASS_VERSION,
      description: "Hourglass's tRPC routers over plain JSON (no transformer). Authenticate with " +
        "`Authorization: Bearer hg_<id>_<secret>`. Writes must be `application/json`.",
    },
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES, responses: { Error: ERROR_RESPONSE } },
    security: SIGNED_IN,
    tags: tags.map((name) => ({ name, description: TAGS[name] ?? name })),
  };
}
