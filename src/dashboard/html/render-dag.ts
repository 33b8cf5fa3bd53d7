/**
 * The DAG of one project as inline SVG: boxes coloured by last status, a
 * native tooltip on hover, and a detail panel (key, duration, output
 * digests) opened by a click or Enter.
 */
import { formatBytes, formatDuration, formatTime } from "./format.js";
import { NODE_STATUSES, type NodeStatus, type ProjectDag, type StageNode } from "./report-model.js";
import { domId, html, join, type SafeHtml } from "./safe-html.js";

/** What each status means, for the legend and the tooltips. */
const STATUS_MEANING: Readonly<Record<NodeStatus, string>> = {
  ran: "executed by the latest run",
  cached: "a hit: outputs from an earlier run",
  held: "promotion held: nothing moved",
  failed: "the latest attempt failed",
  stale: "would run (or restore) now",
};

/** The legend of node colours, with how many stages of the workspace have each. */
export function renderStatusLegend(counts: Readonly<Record<NodeStatus, number>>): SafeHtml {
  const items = NODE_STATUSES.map(
    (s) => html`<li><span class="swatch status-${s}"></span><strong>${s}</strong> ${counts[s]} <span class="muted">· ${STATUS_MEANING[s]}</span></li>`,
  );
  return html`<ul class="legend-list">${items}</ul>`;
}

/** The project's graph and its node detail panels. */
export function renderDag(project: string, dag: ProjectDag): SafeHtml {
  const group = domId("stage", project);
  const marker = domId("arrow", project);
  const edges = dag.edges.map((edge) => {
    const [first, ...rest] = edge.points;
    if (!first) return null;
    const d = `M${first.x},${first.y} ${rest.map((p) => `L${p.x},${p.y}`).join(" ")}`;
    return html`<path class="edge" d="${d}" marker-end="url(#${marker})"><title>${edge.from} → ${edge.to}</title></path>`;
  });
  const nodes = dag.nodes.map((node) => renderNode(node, dag, group));
  return html`<div class="dag-wrap">
<svg class="dag" viewBox="0 0 ${dag.width} ${dag.height}" width="${dag.width}" height="${dag.height}" role="group" aria-label="stages of ${project}">
<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>
${join(edges)}${join(nodes)}
</svg></div>
<div class="detail-panel" aria-live="polite">
<p class="hint" data-hint-for="${group}">Click a stage for its key, duration and output digests.</p>
${join(dag.nodes.map((node) => renderNodeDetail(node, group)))}
</div>`;
}

function renderNode(node: StageNode, dag: ProjectDag, group: string): SafeHtml | null {
  const box = dag.boxes[node.id];
  if (!box) return null;
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  const duration = node.durationMs === null ? "" : ` · ${formatDuration(node.durationMs)}`;
  return html`<g class="node status-${node.status}" data-stage-id="${node.id}" data-status="${node.status}" data-show="${domId("node", node.id)}" data-group="${group}" tabindex="0" role="button" aria-label="${node.id}: ${node.status}">
<title>${tooltip(node)}</title>
<rect x="${left}" y="${top}" width="${box.width}" height="${box.height}" rx="6"/>
<text class="node-name" x="${box.x}" y="${top + 19}" text-anchor="middle">${node.name}</text>
<text class="node-status" x="${box.x}" y="${top + 36}" text-anchor="middle">${node.status}${duration}</text>
</g>`;
}

/** The hover text: everything the panel says, in a few lines. */
function tooltip(node: StageNode): string {
  return [
    `${node.id} — ${node.status} (${STATUS_MEANING[node.status]})`,
    `key ${node.key ?? "not computable yet"}`,
    node.durationMs === null ? "no duration recorded" : `duration ${formatDuration(node.durationMs)}${node.fromEarlierRun ? " (latest run)" : ""}`,
    ...node.outputs.map((o) => `${o.name}: ${o.digest}`),
    ...node.notes,
  ].join("\n");
}

function renderNodeDetail(node: StageNode, group: string): SafeHtml {
  const outputs = node.outputs.map(
    (o) => html`<tr><td>${o.name}</td><td><code>${o.path}</code></td><td><code class="digest">${o.digest}</code></td><td>${o.size === null ? "—" : formatBytes(o.size)}</td></tr>`,
  );
  return html`<section class="detail" id="${domId("node", node.id)}" data-panel-group="${group}" hidden>
<h4><span class="badge status-${node.status}">${node.status}</span> ${node.id}</h4>
${node.description ? html`<p class="muted">${node.description}</p>` : null}
<dl class="facts">
<dt>stage key</dt><dd><code>${node.key ?? "not computable until upstream stages run"}</code></dd>
<dt>duration</dt><dd>${node.durationMs === null ? "—" : formatDuration(node.durationMs)}${node.fromEarlierRun ? html` <span class="muted">(latest run, not the current key)</span>` : null}</dd>
<dt>last run</dt><dd>${node.lastRun ? `${node.lastRun.run} · ${node.lastRun.status} · ${formatTime(node.lastRun.startedAt)}` : "never executed here"}</dd>
</dl>
${node.notes.length > 0 ? html`<ul class="notes">${node.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}
${
  outputs.length > 0
    ? html`<table class="outputs"><thead><tr><th>output</th><th>path</th><th>digest</th><th>size</th></tr></thead><tbody>${outputs}</tbody></table>`
    : html`<p class="note">No outputs recorded yet.</p>`
}
</section>`;
}
