import type { EngineContext } from "../../context.ts";
import { loadSpecs } from "../../chains/host/spec-sync.ts";

/** Spec-defined request types are re-read at most this often for access checks. */
const SPECS_TTL_MS = 2000;

/**
 * Which project a resource belongs to, for the access check: one indexed
 * read per call (queues, invocations, requests), the scheduler job's key
 * itself ("<project>/<job>"), or the spec files (request types). Null when
 * the resource does not exist.
 */
export class ResourceProjects {
  private specs: { at: number; types: Map<string, string> } | null = null;

  constructor(private readonly ctx: EngineContext) {}

  async queue(name: string): Promise<string | null> {
    const r = await this.ctx.db.sql.query<{ project: string }>(`SELECT project FROM queue WHERE name = $1`, [name]);
    return r.rows[0]?.project ?? null;
  }

  /** Projects of several queues (unknown ones are absent from the map). */
  async queues(names: string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const r = await this.ctx.db.sql.query<{ name: string; project: string }>(
      `SELECT name, project FROM queue WHERE name = ANY($1::text[])`, [[...new Set(names)]]);
    return new Map(r.rows.map((row) => [row.name, row.project]));
  }

  /** A scheduler job's project is the first part of its key. */
  schedulerJob(key: string): string | null {
    const slash = key.indexOf("/");
    return slash > 0 ? key.slice(0, slash) : null;
  }

  async request(id: string): Promise<{ project: string; type: string } | null> {
    const r = await this.ctx.db.sql.query<{ project: string; type: string }>(`SELECT project, type FROM request WHERE id = $1`, [id]);
    return r.rows[0] ?? null;
  }

  /** The project of a request type's spec file. */
  async requestType(type: string): Promise<string | null> {
    return (await this.requestTypes()).get(type) ?? null;
  }

  /** Every request type with its project. */
  async requestTypes(): Promise<Map<string, string>> {
    if (!this.specs || Date.now() - this.specs.at > SPECS_TTL_MS) {
      const specs = await loadSpecs(this.ctx);
      const types = new Map<string, string>();
      for (const seq of specs.sequences.values()) if (seq.request) types.set(seq.name, seq.project ?? "default");
      this.specs = { at: Date.now(), types };
    }
    return this.specs.types;
  }
}
