"use client";
import { Graph, layout } from "@dagrejs/dagre";
import {
  Background, BaseEdge, Controls, MarkerType, MiniMap, Position, ReactFlow, type Edge, type EdgeProps, type Node, type ReactFlowInstance,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { criticalPath, nodeDuration } from "./dag/critical-path";
import { formatDuration } from "./dag/duration";
import { GraphLegend } from "./dag/legend";
import { CHAIN_JOB_LOOKS, CRITICAL, SELECTED, UNKNOWN_LOOK, type StateLook } from "./dag/looks";
import { boxHeight, initialViewport, READABLE_ZOOM } from "./dag/viewport";

interface ChainJob {
  id: string; name: string; type: string; role: string; sequenceId: string; deps: string[]; state: string; tries: number;
  startedAt: number | null; finishedAt: number | null;
}
interface ChainSequence { id: string; label: string; parentId: string | null }

const NODE_W = 176;
const NODE_H = 46;
/** Above this many jobs only what is in view is in the DOM (a 1,000-job chain stays quick to open and to click). */
const LARGE = 60;
const edgeTypes = { routed: RoutedEdge };
/** A sequence's caption inside its group: text only, no connection handles; a click focuses the sequence. */
const nodeTypes = {
  caption: ({ data }: { data: { label: string } }) => <div data-testid="chain-sequence" className="cursor-zoom-in">⤢ {data.label}</div>,
};

/**
 * The job-chain graph: dagre lays the DAG out left to right with each
 * sub-sequence as a cluster (a React Flow group node); React Flow draws it
 * with pan and zoom. It opens fitted when labels stay legible that way, else
 * at a readable zoom from the chain's start (see dag/viewport.ts). Each node
 * shows its state by fill, icon and border, its tries and its duration; the
 * critical path (longest by duration) is drawn in orange; a click on a
 * sequence zooms to it and dims the rest. The layout depends only on the
 * chain's shape, so live state changes restyle nodes without moving them.
 */
export function ChainGraph(props: {
  jobs: ChainJob[]; sequences: ChainSequence[]; selected: string | null; onSelect: (jobId: string) => void;
  /** State looks (fill, icon, border); chain-job states by default, another DAG (tasks) passes its own. */
  looks?: Record<string, StateLook>;
}) {
  const { jobs, sequences, selected, onSelect, looks = CHAIN_JOB_LOOKS } = props;
  const shape = jobs.map((j) => `${j.id}<${j.deps.join(",")}`).join(";");
  const positioned = useMemo(() => layoutChain(jobs, sequences), [shape]); // eslint-disable-line react-hooks/exhaustive-deps
  const [focus, setFocus] = useState<string | null>(null);
  const flow = useRef<ReactFlowInstance | null>(null);
  const now = Date.now();
  const critical = useMemo(() => new Set(criticalPath(jobs, now)), [jobs]); // eslint-disable-line react-hooks/exhaustive-deps
  const inFocus = useMemo(() => (focus ? sequenceMembers(focus, sequences) : null), [focus, sequences]);
  // A node object is rebuilt only when its job's look changed, so a live refresh of a
  // 1,000-job chain re-renders the few nodes that moved on, not all of them.
  const built = useRef(new Map<string, { base: Node; look: string; node: Node }>());
  const byId = useMemo(() => new Map(jobs.map((j) => [j.id, j])), [jobs]);
  const nodes: Node[] = useMemo(() => {
    const next = new Map<string, { base: Node; look: string; node: Node }>();
    const out = positioned.nodes.map((n) => {
      const job = byId.get(n.id);
      if (!job) return n;
      const isSelected = job.id === selected;
      const onPath = critical.has(job.id);
      const dimmed = inFocus !== null && !inFocus.has(job.sequenceId);
      const done = job.finishedAt !== null && job.startedAt !== null;
      const look = `${job.state}|${job.tries}|${isSelected}|${onPath}|${dimmed}|${done ? job.finishedAt : ""}`;
      const prev = built.current.get(n.id);
      if (prev && prev.base === n && prev.look === look) {
        next.set(n.id, prev);
        return prev.node;
      }
      const state = looks[job.state] ?? UNKNOWN_LOOK;
      const node: Node = {
        ...n,
        data: { label: <JobLabel job={job} look={state} done={done} onPath={onPath} /> },
        style: {
          ...n.style, background: state.fill, color: "#0f172a",
          borderColor: isSelected ? SELECTED : "#64748b", borderStyle: state.border,
          borderWidth: isSelected ? 2 : state.border === "double" ? 4 : 1.5,
          boxShadow: onPath ? `0 0 0 3px ${CRITICAL}` : undefined,
          opacity: dimmed ? 0.35 : 1,
          fontStyle: job.role === "job" ? "normal" : "italic", fontSize: 13,
        },
      };
      next.set(n.id, { base: n, look, node });
      return node;
    });
    built.current = next;
    return out;
  }, [positioned, byId, selected, critical, inFocus, looks]);
  // the selected job's edges stand out, so its parents and children can be followed in a dense chain
  const edges: Edge[] = useMemo(() => positioned.edges.map((e) => {
    if (e.source === selected || e.target === selected) return { ...e, style: { stroke: SELECTED, strokeWidth: 2 }, zIndex: 2 };
    if (critical.has(e.source) && critical.has(e.target)) {
      return { ...e, data: { ...e.data, critical: true }, style: { stroke: CRITICAL, strokeWidth: 3 }, zIndex: 1 };
    }
    return e;
  }), [positioned, selected, critical]);
  const large = jobs.length > LARGE;
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const height = boxHeight(positioned.height, 320, typeof window === "undefined" ? 800 : window.innerHeight * 0.75);
  useLayoutEffect(() => {
    if (box.current) setSize({ width: box.current.clientWidth, height: box.current.clientHeight });
  }, [height]);
  const focusOn = (sequenceId: string | null) => {
    setFocus(sequenceId);
    const f = flow.current;
    if (!f || !size) return;
    if (sequenceId === null) void f.setViewport(initialViewport(positioned, size), { duration: 300 });
    else void f.fitView({ nodes: [{ id: `seq:${sequenceId}` }], padding: 0.08, minZoom: READABLE_ZOOM, maxZoom: 1.25, duration: 300 });
  };
  return (
    <div>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <GraphLegend looks={looks} critical={critical.size > 0} />
        {focus && (
          <button type="button" onClick={() => focusOn(null)} data-testid="graph-show-all"
            className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800">
            Focused on {sequences.find((s) => s.id === focus)?.label ?? focus} · show the whole chain
          </button>
        )}
      </div>
      <div ref={box} style={{ height }} className="w-full rounded border border-slate-200 dark:border-slate-700" data-testid="chain-graph"
        data-zoom-min={READABLE_ZOOM}>
        {size && (
          <ReactFlow nodes={nodes} edges={edges} edgeTypes={edgeTypes} nodeTypes={nodeTypes}
            defaultViewport={initialViewport(positioned, size)} minZoom={0.05}
            onInit={(f) => { flow.current = f; }}
            panOnScroll onlyRenderVisibleElements={large}
            nodesDraggable={false} nodesConnectable={false}
            onNodeClick={(_, node) => {
              if (byId.has(node.id)) onSelect(node.id);
              else if (node.id.startsWith("seq:")) focusOn(node.id.replace(/^seq:/, "").replace(/:label$/, ""));
            }}
            proOptions={{ hideAttribution: true }}>
            <Background />
            <Controls showInteractive={false} />
            {(large || positioned.width * READABLE_ZOOM > size.width || positioned.height * READABLE_ZOOM > size.height) && (
              <MiniMap pannable zoomable
                nodeColor={(n) => (n.type === "group" || n.type === "caption" ? "transparent"
                  : (looks[byId.get(n.id)?.state ?? ""] ?? UNKNOWN_LOOK).mini)} />
            )}
          </ReactFlow>
        )}
      </div>
    </div>
  );
}

/** A node's text: state icon, name, tries; then its duration when finished (so far when running), else its state. */
function JobLabel({ job, look, done, onPath }: { job: ChainJob; look: StateLook; done: boolean; onPath: boolean }) {
  const duration = job.startedAt !== null ? formatDuration(nodeDuration(job, Date.now())) : null;
  return (
    <span data-testid={`chain-node-${job.name}`} data-state={job.state} data-critical={onPath || undefined}
      title={`${job.name} (${job.type}) · ${look.label} · ${job.tries} tr${job.tries === 1 ? "y" : "ies"}`}
      className="block overflow-hidden leading-tight">
      <span data-chain-label className="block truncate">
        <span aria-label={look.label} role="img">{look.icon}</span> {job.name}{job.tries > 1 ? ` ×${job.tries}` : ""}
      </span>
      <span data-duration={done || undefined} className="block truncate text-[12px] not-italic text-slate-700">
        {done ? duration : job.state === "RUNNING" && duration ? `running ${duration}` : look.label}
      </span>
    </span>
  );
}

/** The sequences inside `root` (itself included), to dim every job outside them. */
function sequenceMembers(root: string, sequences: ChainSequence[]): Set<string> {
  const inside = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of sequences) if (s.parentId && inside.has(s.parentId) && !inside.has(s.id)) (inside.add(s.id), (grew = true));
  }
  return inside;
}

/**
 * An edge along the route dagre laid out (it bends around nodes and keeps
 * parallel edges apart), from the source's right side to the target's left.
 */
function RoutedEdge({ sourceX, sourceY, targetX, targetY, data, markerEnd, style }: EdgeProps) {
  const via = (data?.points as { x: number; y: number }[] | undefined) ?? [];
  const points = [{ x: sourceX, y: sourceY }, ...via, { x: targetX, y: targetY }];
  // straight runs joined by short curves at each bend
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const r = Math.min(12, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const toward = (p: { x: number; y: number }, q: { x: number; y: number }) => {
      const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return { x: p.x + ((q.x - p.x) / len) * r, y: p.y + ((q.y - p.y) / len) * r };
    };
    const inPt = toward(b, a), outPt = toward(b, c);
    d += ` L ${inPt.x} ${inPt.y} Q ${b.x} ${b.y} ${outPt.x} ${outPt.y}`;
  }
  d += ` L ${targetX} ${targetY}`;
  return <BaseEdge path={d} markerEnd={markerEnd} style={style} />;
}

function layoutChain(jobs: ChainJob[], sequences: ChainSequence[]): { nodes: Node[]; edges: Edge[]; width: number; height: number } {
  const g = new Graph({ compound: true });
  g.setGraph({ rankdir: "LR", nodesep: 14, ranksep: 48, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const root = sequences.find((s) => s.parentId === null)?.id;
  const cluster = (id: string | null) => (id && id !== root ? `seq:${id}` : undefined);
  for (const s of sequences) {
    if (s.id === root) continue;
    g.setNode(`seq:${s.id}`, { label: s.label, paddingTop: 24 });
    const parent = cluster(s.parentId);
    if (parent) g.setParent(`seq:${s.id}`, parent);
  }
  for (const j of jobs) {
    g.setNode(j.id, { width: NODE_W, height: NODE_H });
    const parent = cluster(j.sequenceId);
    if (parent) g.setParent(j.id, parent);
  }
  for (const j of jobs) for (const d of j.deps) g.setEdge(d, j.id);
  layout(g);

  const topLeft = (id: string) => {
    const n = g.node(id);
    return { x: n.x - n.width / 2, y: n.y - n.height / 2 };
  };
  const relative = (id: string, parent: string | undefined) => {
    const p = topLeft(id);
    if (!parent) return p;
    const q = topLeft(parent);
    return { x: p.x - q.x, y: p.y - q.y };
  };
  const nodes: Node[] = [];
  // groups first, parents before children (React Flow needs a parent before its children)
  const depth = (s: ChainSequence): number => (s.parentId && s.parentId !== root ? 1 + depth(sequences.find((x) => x.id === s.parentId)!) : 0);
  for (const s of sequences.filter((x) => x.id !== root).sort((a, b) => depth(a) - depth(b))) {
    const id = `seq:${s.id}`;
    const parent = cluster(s.parentId);
    const n = g.node(id);
    nodes.push({
      id, type: "group", position: relative(id, parent), parentId: parent, selectable: false,
      data: { label: s.label },
      style: { width: n.width, height: n.height, background: "rgba(99,102,241,0.06)", border: "1px dashed #a5b4fc", borderRadius: 8, cursor: "zoom-in" },
    });
    nodes.push({
      id: `${id}:label`, type: "caption", position: { x: 8, y: 4 }, parentId: id, selectable: false, draggable: false, data: { label: s.label },
      style: { background: "transparent", border: "none", boxShadow: "none", padding: 0, width: n.width - 16, fontSize: 12, color: "#4f46e5", textAlign: "left" },
    });
  }
  for (const j of jobs) {
    const parent = cluster(j.sequenceId);
    // width / height on the node (not only its style): the minimap draws nodes it knows the size of
    nodes.push({
      id: j.id, position: relative(j.id, parent), parentId: parent, data: { label: j.name }, width: NODE_W, height: NODE_H,
      style: { width: NODE_W, height: NODE_H, padding: "4px 8px", textAlign: "left" }, sourcePosition: Position.Right, targetPosition: Position.Left,
    });
  }
  const edges: Edge[] = jobs.flatMap((j) => j.deps.map((d) => ({
    id: `${d}->${j.id}`, source: d, target: j.id, type: "routed",
    // dagre's bends, without its end points (the edge starts and ends at the node sides)
    data: { points: (g.edge(d, j.id)?.points ?? []).slice(1, -1) },
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 }, style: { stroke: "#94a3b8" },
  })));
  const { width = NODE_W, height = NODE_H } = g.graph();
  return { nodes, edges, width, height };
}
