import type { LintResult } from "./lint.ts";
import { topologicalOrder } from "./lint.ts";
import type { SequenceSpec } from "./spec.ts";

/** A chain is capped so one request cannot swamp the database. */
export const MAX_CHAIN_JOBS = 10_000;

/** One job of an expanded chain. */
export interface ChainJob {
  /** Unique in its request: j1, j2, … in expansion order. */
  id: string;
  /** The node's name; a sequence's own start and end jobs are "<sequence> start" / "<sequence> end". */
  name: string;
  /** Job type (noop, shell, http or a handler); sequence start / end jobs are noop. */
  type: string;
  role: "job" | "start" | "end";
  sequenceId: string;
  deps: string[];
  next: string[];
  /** Inputs known when the request was created. */
  args: Record<string, unknown>;
  /** Inputs a parent sets at run time: expected name -> the arg name parents set. */
  runtimeArgs: Record<string, string>;
  sets: { arg: string; as: string }[];
  retry: number;
  retryWaitMillis: number;
}

/** One expanded sequence: its jobs run between its start and end job; `retry` reruns it whole. */
export interface ChainSequence {
  id: string;
  name: string;
  /** e.g. "deploy-host host=web1" for an `each` instance. */
  label: string;
  parentId: string | null;
  retry: number;
  startJob: string;
  endJob: string;
}

export interface Chain {
  jobs: ChainJob[];
  sequences: ChainSequence[];
  /** The request's args after defaults and statics. */
  args: Record<string, unknown>;
}

export class ChainError extends Error {}

/** A value a job sets at run time, standing in for an arg until then. */
interface RuntimeArg { runtime: string }
const isRuntime = (v: unknown): v is RuntimeArg => typeof v === "object" && v !== null && "runtime" in v && Object.keys(v).length === 1;

/**
 * Resolves a request's args against its sequence (missing required and
 * unknown args are errors; optional defaults and statics fill in) and
 * expands the sequence into a DAG of jobs: every sequence gets a start and
 * an end job; `each` makes one sub-sequence per list element (at most
 * `parallel` at a time); conditionals pick their branch from the args now.
 * Pure: the same specs and args give the same chain.
 */
export function expandRequest(lint: LintResult, type: string, given: Record<string, unknown>): Chain {
  const root = lint.sequences.get(type);
  if (!root || !root.request || !lint.valid.has(type)) throw new ChainError(`no request type "${type}"${root && !lint.valid.has(type) ? " (its spec has errors)" : ""}`);
  const known = new Set([...root.args.required, ...root.args.optional].map((a) => a.name));
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  if (unknown.length) throw new ChainError(`unknown arg${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} for request type "${type}" (it takes ${[...known].join(", ") || "no args"})`);
  const missing = root.args.required.filter((a) => given[a.name] === undefined || given[a.name] === "").map((a) => a.name);
  if (missing.length) throw new ChainError(`missing required arg${missing.length > 1 ? "s" : ""} ${missing.join(", ")} for request type "${type}"`);

  const jobs: ChainJob[] = [];
  const sequences: ChainSequence[] = [];
  const byId = new Map<string, ChainJob>();
  const addJob = (j: Omit<ChainJob, "id" | "deps" | "next">): ChainJob => {
    if (jobs.length >= MAX_CHAIN_JOBS) throw new ChainError(`the chain would have more than ${MAX_CHAIN_JOBS} jobs`);
    const job = { ...j, id: `j${jobs.length + 1}`, deps: [], next: [] };
    jobs.push(job);
    byId.set(job.id, job);
    return job;
  };
  const link = (from: string, to: string) => {
    byId.get(from)!.next.push(to);
    byId.get(to)!.deps.push(from);
  };
  const noop = (name: string, sequenceId: string): ChainJob =>
    addJob({ name, type: "noop", role: "job", sequenceId, args: {}, runtimeArgs: {}, sets: [], retry: 0, retryWaitMillis: 0 });

  const withDefaults = (seq: SequenceSpec, scope: Record<string, unknown>) => {
    const s = { ...scope };
    for (const a of seq.args.optional) if (s[a.name] === undefined && a.default !== undefined) s[a.name] = a.default;
    for (const a of seq.args.static) s[a.name] = a.default;
    return s;
  };

  /** Expands one sequence instance; returns its start and end job ids. */
  const expand = (seq: SequenceSpec, scope: Record<string, unknown>, parentId: string | null, retry: number, label: string): { start: string; end: string } => {
    const sequenceId = `s${sequences.length + 1}`;
    const start = addJob({ name: `${seq.name} start`, type: "noop", role: "start", sequenceId, args: {}, runtimeArgs: {}, sets: [], retry: 0, retryWaitMillis: 0 });
    const record: ChainSequence = { id: sequenceId, name: seq.name, label, parentId, retry, startJob: start.id, endJob: "" };
    sequences.push(record);
    // entry and exit jobs of each node, so deps can be wired
    const exits = new Map<string, string[]>();
    const dependedOn = new Set(Object.values(seq.nodes).flatMap((n) => n.deps));
    for (const name of topologicalOrder(seq)) {
      const node = seq.nodes[name]!;
      const before = node.deps.length ? node.deps.flatMap((d) => exits.get(d)!) : [start.id];
      const entries: string[] = [];
      const nodeExits: string[] = [];
      const value = (arg: string, what: string) => {
        const v = scope[arg];
        if (isRuntime(v) || v === undefined) throw new ChainError(`${seq.name}/${name}: ${what} "${arg}" must be known when the request is created`);
        return v;
      };
      const subScope = () => {
        const s: Record<string, unknown> = { ...scope };
        for (const a of node.args) s[a.expected] = scope[a.given] ?? { runtime: a.given };
        return s;
      };
      if (node.category === "job") {
        const args: Record<string, unknown> = {};
        const runtimeArgs: Record<string, string> = {};
        for (const a of node.args) {
          const v = scope[a.given];
          if (v === undefined) runtimeArgs[a.expected] = a.given;
          else if (isRuntime(v)) runtimeArgs[a.expected] = v.runtime;
          else args[a.expected] = v;
        }
        const job = addJob({ name, type: node.type!, role: "job", sequenceId, args, runtimeArgs, sets: node.sets, retry: node.retry, retryWaitMillis: node.retryWaitMillis });
        entries.push(job.id);
        nodeExits.push(job.id);
      } else {
        let branch: string | undefined = node.type;
        if (node.category === "conditional") {
          const v = String(value(node.if!, "conditional arg"));
          branch = node.eq![v] ?? node.eq!["default"];
          if (!branch) throw new ChainError(`${seq.name}/${name}: no branch for ${node.if}=${v} and no default`);
        }
        const sub = branch === "noop" ? undefined : lint.sequences.get(branch!)!;
        const instances: Record<string, unknown>[] = [];
        if (node.each) {
          const list = toList(value(node.each.list, "each list"));
          for (const el of list) instances.push({ ...subScope(), [node.each.element]: el });
        } else instances.push(subScope());
        if (!sub || instances.length === 0) {
          const j = noop(sub ? `${name} (empty list)` : `${name} → noop`, sequenceId);
          entries.push(j.id);
          nodeExits.push(j.id);
        } else {
          const ends: string[] = [];
          instances.forEach((s, i) => {
            const lbl = node.each ? `${sub.name} ${node.each.element}=${String(s[node.each.element])}` : sub.name;
            const r = expand(sub, withDefaults(sub, s), sequenceId, node.retry, lbl);
            entries.push(r.start);
            // `parallel`: instance i waits for instance i - parallel
            if (node.parallel && i >= node.parallel) link(ends[i - node.parallel]!, r.start);
            ends.push(r.end);
            nodeExits.push(r.end);
          });
        }
      }
      for (const e of entries) for (const b of before) link(b, e);
      exits.set(name, nodeExits);
    }
    const end = addJob({ name: `${seq.name} end`, type: "noop", role: "end", sequenceId, args: {}, runtimeArgs: {}, sets: [], retry: 0, retryWaitMillis: 0 });
    for (const name of Object.keys(seq.nodes)) if (!dependedOn.has(name)) for (const x of exits.get(name) ?? []) link(x, end.id);
    record.endJob = end.id;
    return { start: start.id, end: end.id };
  };

  const args = withDefaults(root, given);
  expand(root, args, null, 0, root.name);
  return { jobs, sequences, args };
}

/** An `each` list: an array, or a comma-separated string. */
function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  throw new ChainError(`each needs a list or a comma-separated string, got ${JSON.stringify(v)}`);
}
