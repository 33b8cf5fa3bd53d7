/**
 * The whole report as one self-contained HTML document: style and script
 * inline, every figure pre-rendered SVG, and a content security policy that
 * forbids any fetch, so the file opens the same from disk, mail or CI
 * artifacts, with no server and no network.
 */
import { PAGE_SCRIPT, PAGE_STYLE } from "./page-assets.js";
import { formatTime } from "./format.js";
import { renderDag, renderStatusLegend } from "./render-dag.js";
import { renderGateTables } from "./render-gates.js";
import { renderLineage } from "./render-lineage.js";
import { renderMonitor } from "./render-monitor.js";
import { renderPlotFigures } from "./render-plots.js";
import { renderReleases } from "./render-releases.js";
import { NODE_STATUSES, type NodeStatus, type ProjectReport, type ReportModel } from "./report-model.js";
import { domId, html, raw, type SafeHtml } from "./safe-html.js";

/** Inline style and script only; nothing may be loaded from anywhere. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

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

/** A self-contained HTML document: the policy, the inline style sheet, and `body`. */
export function renderDocument(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${title}</title>
<style>${raw(PAGE_STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
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
