"use client";
import { Graph, layout } from "@dagrejs/dagre";
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useMemo } from "react";

interface ChainJob { id: string; name: string; type: string; role: string; sequenceId: string; deps: string[]; state: string; tries: number }
interface ChainSequence { id: string; label: string; parentId: string | null }

const NODE_W = 170;
const NODE_H = 40;

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
  const nodes: Node[] = useMemo(() => positioned.nodes.map((n) => {
    const job = jobs.find((j) => j.id === n.id);
    if (!job) return n;
    const isSelected = job.id === selected;
    return {
      ...n,
      data: { label: <span data-testid={`chain-node-${job.name}`} data-state={job.state} title={`${job.name} (${job.type}) · ${job.state} · ${job.tries} tr${job.tries === 1 ? "y" : "ies"}`}>{job.name}{job.tries > 1 ? ` ×${job.tries}` : ""}</span> },
      style: {
        ...n.style, background: FILL[job.state] ?? "#fff", color: "#0f172a", borderColor: isSelected ? "#4f46e5" : "#94a3b8", borderWidth: isSelected ? 2 : 1,
        fontStyle: job.role === "job" ? "normal" : "italic", fontSize: 12,
      },
    };
  }), [positioned, jobs, selected]);
  return (
    <div className="h-[32rem] w-full rounded border border-slate-200 dark:border-slate-700" data-testid="chain-graph">
      <ReactFlow nodes={nodes} edges={positioned.edges} fitView minZoom={0.05} nodesDraggable={false} nodesConnectable={false}
        onNodeClick={(_, node) => jobs.some((j) => j.id === node.id) && onSelect(node.id)} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
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
      id: `${id}:label`, position: { x: 8, y: 4 }, parentId: id, selectable: false, draggable: false, data: { label: s.label },
      style: { background: "transparent", border: "none", boxShadow: "none", padding: 0, width: n.width - 16, fontSize: 11, color: "#6366f1", textAlign: "left" },
    });
  }
  for (const j of jobs) {
    const parent = cluster(j.sequenceId);
    nodes.push({ id: j.id, position: relative(j.id, parent), parentId: parent, data: { label: j.name }, style: { width: NODE_W, height: NODE_H, padding: 6 }, sourcePosition: Position.Right, targetPosition: Position.Left });
  }
  const edges: Edge[] = jobs.flatMap((j) => j.deps.map((d) => ({
    id: `${d}->${j.id}`, source: d, target: j.id, type: "smoothstep", markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 }, style: { stroke: "#94a3b8" },
  })));
  return { nodes, edges };
}
