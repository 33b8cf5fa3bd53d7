/**
 * Lays out one project's DAG with dagre when the report is generated, so the
 * page carries plain SVG coordinates and ships no layout code.
 */
import dagre from "@dagrejs/dagre";
import type { Point, ProjectDag, StageNode } from "./report-model.js";

/** Node box size: wide enough for a stage name and its status line. */
const NODE_WIDTH = 150;
const NODE_HEIGHT = 46;
const MARGIN = 12;

/**
 * The part of dagre's graph this module uses. dagre's own declarations use
 * extensionless relative imports, which `nodenext` resolution cannot follow,
 * so its types arrive as `any`; this keeps the calls checked.
 */
interface LayoutGraph {
  setGraph(label: { rankdir: "LR"; nodesep: number; ranksep: number; marginx: number; marginy: number }): void;
  setDefaultEdgeLabel(label: () => object): void;
  setNode(id: string, label: { width: number; height: number }): void;
  setEdge(from: string, to: string): void;
  node(id: string): { x: number; y: number; width: number; height: number };
  edges(): { v: string; w: string }[];
  edge(edge: { v: string; w: string }): { points?: Point[] };
  graph(): { width?: number; height?: number };
}

/** A stage and the stages it reads from. */
export interface DagInput {
  readonly node: StageNode;
  readonly upstream: readonly string[];
}

/** Left-to-right layout of `stages`; edges from outside the project are left out. */
export function layoutDag(stages: readonly DagInput[]): ProjectDag {
  if (stages.length === 0) return { nodes: [], width: 2 * MARGIN, height: 2 * MARGIN, boxes: {}, edges: [] };
  const graph = new dagre.graphlib.Graph() as LayoutGraph;
  graph.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 42, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(stages.map((s) => s.node.id));
  for (const { node } of stages) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const { node, upstream } of stages) {
    for (const from of upstream) if (ids.has(from)) graph.setEdge(from, node.id);
  }
  dagre.layout(graph);

  const laidBoxes = stages.map(({ node }) => ({ id: node.id, ...graph.node(node.id) }));
  const laidEdges = graph.edges().map((edge) => ({ from: edge.v, to: edge.w, points: graph.edge(edge).points ?? [] }));
  // dagre's graph size covers the nodes but an edge may bow outside them: fit both.
  const xs = [...laidBoxes.flatMap((b) => [b.x - b.width / 2, b.x + b.width / 2]), ...laidEdges.flatMap((e) => e.points.map((p) => p.x))];
  const ys = [...laidBoxes.flatMap((b) => [b.y - b.height / 2, b.y + b.height / 2]), ...laidEdges.flatMap((e) => e.points.map((p) => p.y))];
  const dx = MARGIN - Math.min(...xs);
  const dy = MARGIN - Math.min(...ys);
  const boxes: Record<string, Point & { width: number; height: number }> = {};
  for (const b of laidBoxes) boxes[b.id] = { x: b.x + dx, y: b.y + dy, width: b.width, height: b.height };
  return {
    nodes: stages.map((s) => s.node),
    width: Math.ceil(Math.max(...xs) + dx + MARGIN),
    height: Math.ceil(Math.max(...ys) + dy + MARGIN),
    boxes,
    edges: laidEdges.map((e) => ({ from: e.from, to: e.to, points: e.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) })),
  };
}
