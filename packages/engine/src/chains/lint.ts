import type { SequenceSpec, SpecError, SpecFile } from "./spec.ts";

/** Job types every worker runs; handlers registered with a worker add theirs. */
export const BUILTIN_JOB_TYPES = ["noop", "shell", "http"] as const;

export interface LintResult {
  /** Every sequence by name, valid or not. */
  sequences: Map<string, SequenceSpec>;
  /** Sequences that (with everything they use) passed; only these run. */
  valid: Set<string>;
  errors: SpecError[];
}

/**
 * Spin Cycle's linter over all loaded spec files: names across files, deps,
 * cycles, unreachable nodes, args used but never set, unknown job types and
 * sequences, sequences that contain themselves. A sequence is valid when it
 * and every sequence it expands into are free of errors.
 */
export function lintSpecs(files: SpecFile[], jobTypes: Iterable<string>): LintResult {
  const types = new Set<string>([...BUILTIN_JOB_TYPES, ...jobTypes]);
  const errors: SpecError[] = [];
  const sequences = new Map<string, SequenceSpec>();
  const lineOf = new Map<string, number>();
  const broken = new Set<string>();
  for (const f of files) {
    for (const seq of f.sequences) {
      for (const [k, line] of Object.entries(f.lines)) if (k === seq.name || k.startsWith(`${seq.name}/`)) lineOf.set(k, line);
      const first = sequences.get(seq.name);
      if (first) {
        errors.push({ file: f.file, line: f.lines[seq.name] ?? 1, message: `sequence "${seq.name}" is also defined in ${first.file}` });
        broken.add(seq.name);
        continue;
      }
      sequences.set(seq.name, seq);
    }
  }
  const report = (seq: SequenceSpec, node: string | undefined, message: string) => {
    errors.push({ file: seq.file, line: lineOf.get(node ? `${seq.name}/${node}` : seq.name) ?? 1, node: node && `${seq.name}/${node}`, message: `${seq.name}${node ? `/${node}` : ""}: ${message}` });
    broken.add(seq.name);
  };

  for (const seq of sequences.values()) {
    const nodes = Object.values(seq.nodes);
    for (const n of nodes) {
      for (const d of n.deps) if (!seq.nodes[d]) report(seq, n.name, `depends on "${d}", which is not a node of this sequence`);
      if (n.category === "job" && n.type && !types.has(n.type)) report(seq, n.name, `unknown job type "${n.type}" (known: ${[...types].sort().join(", ")})`);
      if (n.category === "sequence" && n.type && !sequences.has(n.type)) report(seq, n.name, `unknown sequence "${n.type}"`);
      for (const target of Object.values(n.eq ?? {})) {
        if (target !== "noop" && !sequences.has(target)) report(seq, n.name, `conditional goes to unknown sequence "${target}"`);
      }
    }
    // cycles and unreachable nodes: walk from the start (nodes without deps)
    const order = topologicalOrder(seq);
    const reached = new Set(order);
    const cyclic = findCycle(seq);
    if (cyclic) report(seq, cyclic[0], `dependency cycle: ${cyclic.join(" → ")}`);
    for (const n of nodes) if (!reached.has(n.name) && !cyclic?.includes(n.name)) report(seq, n.name, "unreachable: it depends on a node in a cycle or on a missing node");
  }

  // args used but never set: a sequence's own args, what its callers pass down
  // (a sub-sequence sees its caller's args), and what nodes it depends on set
  const inherited = new Map<string, Set<string>>();
  for (let round = 0; round < 5; round++) {
    let grew = false;
    for (const seq of sequences.values()) {
      for (const [sub, names] of argFlow(seq, inherited.get(seq.name)).givenTo) {
        const have = inherited.get(sub) ?? new Set<string>();
        for (const n of names) if (!have.has(n)) (have.add(n), (grew = true));
        inherited.set(sub, have);
      }
    }
    if (!grew) break;
  }
  for (const seq of sequences.values()) {
    for (const [node, message] of argFlow(seq, inherited.get(seq.name)).problems) report(seq, node, message);
  }

  // a sequence that expands into itself never ends
  for (const seq of sequences.values()) {
    const path = selfReference(seq.name, sequences);
    if (path) report(seq, undefined, `expands into itself: ${path.join(" → ")}`);
  }
  // validity spreads: a sequence using a broken one is not offered either
  const valid = new Set<string>();
  const isValid = (name: string, seen: Set<string>): boolean => {
    if (broken.has(name) || !sequences.has(name) || seen.has(name)) return false;
    seen.add(name);
    return usedSequences(sequences.get(name)!).every((u) => u === "noop" || isValid(u, seen));
  };
  for (const name of sequences.keys()) if (isValid(name, new Set())) valid.add(name);
  return { sequences, valid, errors };
}

/** Sequences a sequence's nodes expand into (sequence nodes and conditional branches). */
export function usedSequences(seq: SequenceSpec): string[] {
  return Object.values(seq.nodes).flatMap((n) => (n.category === "sequence" && n.type ? [n.type] : n.category === "conditional" ? Object.values(n.eq ?? {}) : []));
}

/** Node names in dependency order; nodes on or behind a cycle or a missing dep are left out. */
export function topologicalOrder(seq: SequenceSpec): string[] {
  const nodes = Object.values(seq.nodes);
  const waiting = new Map(nodes.map((n) => [n.name, n.deps.length]));
  const children = new Map<string, string[]>();
  for (const n of nodes) for (const d of n.deps) children.set(d, [...(children.get(d) ?? []), n.name]);
  const ready = nodes.filter((n) => n.deps.length === 0).map((n) => n.name);
  const order: string[] = [];
  while (ready.length > 0) {
    const name = ready.shift()!;
    order.push(name);
    for (const c of children.get(name) ?? []) {
      const left = waiting.get(c)! - 1;
      waiting.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  return order;
}

/** Which args each node can see, what it passes to sub-sequences, and what it uses that nobody set. */
function argFlow(seq: SequenceSpec, inherited: Set<string> | undefined) {
  const declared = new Set([...seq.args.required, ...seq.args.optional, ...seq.args.static].map((a) => a.name));
  for (const a of inherited ?? []) declared.add(a);
  const problems: [string, string][] = [];
  const givenTo = new Map<string, Set<string>>();
  const setBy = new Map<string, Set<string>>();
  for (const name of topologicalOrder(seq)) {
    const n = seq.nodes[name]!;
    const available = new Set(declared);
    for (const d of n.deps) for (const a of setBy.get(d) ?? []) available.add(a);
    const used = [...n.args.map((a) => a.given), ...(n.each ? [n.each.list] : []), ...(n.if ? [n.if] : [])];
    for (const u of used) if (!available.has(u)) problems.push([name, `arg "${u}" is used but never set (declare it in the sequence's args or set it in a node this one depends on)`]);
    const passed = new Set([...available, ...n.args.map((a) => a.expected), ...(n.each ? [n.each.element] : [])]);
    const subs = n.category === "sequence" && n.type ? [n.type] : n.category === "conditional" ? Object.values(n.eq ?? {}).filter((t) => t !== "noop") : [];
    for (const sub of subs) givenTo.set(sub, new Set([...(givenTo.get(sub) ?? []), ...passed]));
    const mine = new Set(available);
    for (const st of n.sets) mine.add(st.as);
    setBy.set(name, mine);
  }
  return { problems, givenTo };
}

function findCycle(seq: SequenceSpec): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === "done" || !seq.nodes[name]) return null;
    if (state.get(name) === "open") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "open");
    stack.push(name);
    for (const d of seq.nodes[name]!.deps) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(name, "done");
    return null;
  };
  for (const name of Object.keys(seq.nodes)) {
    const found = visit(name);
    if (found) return found.reverse();
  }
  return null;
}

function selfReference(start: string, sequences: Map<string, SequenceSpec>): string[] | null {
  const walk = (name: string, path: string[]): string[] | null => {
    const seq = sequences.get(name);
    if (!seq) return null;
    for (const u of usedSequences(seq)) {
      if (u === start) return [...path, u];
      if (!path.includes(u)) {
        const found = walk(u, [...path, u]);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(start, [start]);
}
