/**
 * The whole report as one self-contained HTML document (page-document.ts):
 * style and script inline, every figure pre-rendered SVG, nothing fetched.
 */
import { PAGE_SCRIPT } from "./page-assets.js";
import { renderDocument } from "./page-document.js";
import { formatTime } from "./format.js";
import { renderDag, renderStatusLegend } from "./render-dag.js";
import { renderGateTables } from "./render-gates.js";
import { renderLineage } from "./render-lineage.js";
import { renderMonitor } from "./render-monitor.js";
import { renderPlotFigures } from "./render-plots.js";
import { renderReleases } from "./render-releases.js";
import { NODE_STATUSES, type NodeStatus, type ProjectReport, type ReportModel } from "./report-model.js";
import { domId, html, raw, type SafeHtml } from "./safe-html.js";

/** Renders the model as an HTML document. */
export function renderReportPage(model: ReportModel): string {
  const counts = Object.fromEntries(NODE_STATUSES.map((s) => [s, 0])) as Record<NodeStatus, number>;
  for (const project of model.projects) for (const node of project.dag.nodes) counts[node.status]++;
  const stages = model.projects.reduce((n, p) => n + p.dag.nodes.length, 0);
  const body = html`<header>
<h1>sluice report</h1>
<p class="muted">workspace <code>${model.workspace}</code> · generated ${formatTime(model.generatedAt)} · ${model.projects.length} projects, ${stages} stages</p>
${model.notes.length > 0 ? html`<ul class="problems">${model.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}
<nav>${model.projects.map((p) => html`<a href="#${domId("project", p.name)}">${p.name}</a>`)}</nav>
${renderStatusLegend(counts)}
</header>
<main>
${model.projects.length > 0 ? model.projects.map(renderProject) : html`<p class="note">The workspace declares no projects.</p>`}
</main>
<footer>Stage status comes from a dry run against the cache and the run history; releases, decisions and approvals from the registry; plots from the live window files and the plot files stages declare.</footer>
<script>${raw(PAGE_SCRIPT)}</script>`;
  return renderDocument(`sluice report — ${model.workspace}`, body);
}

function renderProject(project: ProjectReport): SafeHtml {
  return html`<section class="project" id="${domId("project", project.name)}" data-project="${project.name}">
<h2>${project.name}</h2>
<h3>Pipeline</h3>
${renderDag(project.name, project.dag)}
<h3>Release timeline</h3>
${renderReleases(project)}
<h3>Gates of the live releases</h3>
${renderGateTables(project.name, project.gateTables)}
<h3>Plots</h3>
${project.plots.length > 0 ? renderPlotFigures(project.plots) : html`<p class="note no-plots">No plots: declare one with <code>outs: { prc: plots("eval/prc.json", { x: "recall", y: "precision" }) }</code>.</p>`}
<h3>Monitoring windows</h3>
${renderMonitor(project.name, project.monitor)}
<h3>Lineage</h3>
${renderLineage(project.name, project.lineage)}
</section>`;
}
