"use client";
import { Graph, layout } from "@dagrejs/dagre";
import { Background, BaseEdge, Controls, MarkerType, MiniMap, Position, ReactFlow, type Edge, type EdgeProps, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo, useRef } from "react";

interface ChainJob { id: string; name: string; type: string; role: string; sequenceId: string; deps: string[]; state: string; tries: number }
interface ChainSequence { id: string; label: string; parentId: string | null }

const NODE_W = 170;
const NODE_H = 40;
/**
 * Above this many jobs the graph opens at a zoom where names stay readable
 * (pan, or use the minimap) instead of fitted whole, and only what is in view
 * is in the DOM (a 1,000-job chain stays quick to open and to click).
 */
const LARGE = 60;
const edgeTypes = { routed: RoutedEdge };
/** A sequence's caption inside its group: text only, no connection handles. */
const nodeTypes = { caption: ({ data }: { data: { label: string } }) => <div>{data.label}</div> };
/** Minimap colours: the state fills are too pale to see at minimap scale. */
const MINI: Record<string, string> = { PENDING: "#7dd3fc", RUNNING: "#f59e0b", COMPLETE: "#22c55e", FAIL: "#f43f5e", STOPPED: "#64748b" };

/** Node fill by chain-job state (kept in step with the Badge colours). */
const FILL: Record<string, string> = {
  PENDING: "#e0f2fe", RUNNING: "#fde68a", COMPLETE: "#bbf7d0", FAIL: "#fecdd3", STOPPED: "#e2e8f0",
};

/**
 * The job-chain graph: dagre lays the DAG out left to right with each
 * sub-sequence as a cluster (a React Flow group node); React Flow draws it
 * with pan, zoom and fit. The layout depends only on the chain's shape, so
 * live state changes recolour nodes without moving them.
 */
export function ChainGraph(props: { jobs: ChainJob[]; sequences: ChainSequence[]; selected: string | null; onSelect: (jobId: string) => void }) {
  const { jobs, sequences, selected, onSelect } = props;
  const shape = jobs.map((j) => `${j.id}<${j.deps.join(",")}`).join(";");
  const positioned = useMemo(() => layoutChain(jobs, sequences), [shape]); // eslint-disable-line react-hooks/exhaustive-deps
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
      const look = `${job.state}|${job.tries}|${isSelected}`;
      const prev = built.current.get(n.id);
      if (prev && prev.base === n && prev.look === look) {
        next.set(n.id, prev);
        return prev.node;
      }
      const node: Node = {
        ...n,
        data: { label: <span data-testid={`chain-node-${job.name}`} data-state={job.state} title={`${job.name} (${job.type}) · ${job.state} · ${job.tries} tr${job.tries === 1 ? "y" : "ies"}`}>{job.name}{job.tries > 1 ? ` ×${job.tries}` : ""}</span> },
        style: {
          ...n.style, background: FILL[job.state] ?? "#fff", color: "#0f172a", borderColor: isSelected ? "#4f46e5" : "#94a3b8", borderWidth: isSelected ? 2 : 1,
          fontStyle: job.role === "job" ? "normal" : "italic", fontSize: 12,
        },
      };
      next.set(n.id, { base: n, look, node });
      return node;
    });
    built.current = next;
    return out;
  }, [positioned, byId, selected]);
  // the selected job's edges stand out, so its parents and children can be followed in a dense chain
  const edges: Edge[] = useMemo(() => positioned.edges.map((e) => (e.source === selected || e.target === selected
    ? { ...e, style: { stroke: "#4f46e5", strokeWidth: 2 }, zIndex: 1 }
    : e)), [positioned, selected]);
  const large = jobs.length > LARGE;
  return (
    <div className={`${large ? "h-[75vh] min-h-[32rem]" : "h-[32rem]"} w-full rounded border border-slate-200 dark:border-slate-700`} data-testid="chain-graph">
      <ReactFlow nodes={nodes} edges={edges} edgeTypes={edgeTypes} nodeTypes={nodeTypes} fitView fitViewOptions={large ? { minZoom: 0.55 } : undefined} minZoom={0.05}
        onlyRenderVisibleElements={large}
        nodesDraggable={false} nodesConnectable={false}
        onNodeClick={(_, node) => byId.has(node.id) && onSelect(node.id)} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
        {large && <MiniMap pannable zoomable nodeColor={(n) => (n.type === "group" || n.type === "caption" ? "transparent" : MINI[byId.get(n.id)?.state ?? ""] ?? "#cbd5e1")} />}
      </ReactFlow>
    </div>
  );
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

function layoutChain(jobs: ChainJob[], sequences: ChainSequence[]): { nodes: Node[]; edges: Edge[] } {
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
      style: { width: n.width, height: n.height, background: "rgba(99,102,241,0.06)", border: "1px dashed #a5b4fc", borderRadius: 8 },
    });
    nodes.push({
      id: `${id}:label`, type: "caption", position: { x: 8, y: 4 }, parentId: id, selectable: false, draggable: false, data: { label: s.label },
      style: { background: "transparent", border: "none", boxShadow: "none", padding: 0, width: n.width - 16, fontSize: 11, color: "#6366f1", textAlign: "left" },
    });
  }
  for (const j of jobs) {
    const parent = cluster(j.sequenceId);
    // width / height on the node (not only its style): the minimap draws nodes it knows the size of
    nodes.push({ id: j.id, position: relative(j.id, parent), parentId: parent, data: { label: j.name }, width: NODE_W, height: NODE_H, style: { width: NODE_W, height: NODE_H, padding: 6 }, sourcePosition: Position.Right, targetPosition: Position.Left });
  }
  const edges: Edge[] = jobs.flatMap((j) => j.deps.map((d) => ({
    id: `${d}->${j.id}`, source: d, target: j.id, type: "routed",
    // dagre's bends, without its end points (the edge starts and ends at the node sides)
    data: { points: (g.edge(d, j.id)?.points ?? []).slice(1, -1) },
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 }, style: { stroke: "#94a3b8" },
  })));
  return { nodes, edges };
}
