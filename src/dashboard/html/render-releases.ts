/**
 * A project's release timeline: which alias held which release over the
 * registry's history (a swimlane), every release as a button that opens its
 * gates and decisions, and every event in order with its reasons.
 */
import { formatNumber, formatTime } from "./format.js";
import { renderGateTable } from "./render-gates.js";
import type { AliasSpan, ProjectReport, ReleaseSummary, TimelineEntry } from "./report-model.js";
import { domId, html, join, type SafeHtml } from "./safe-html.js";

/** The timeline section of one project. */
export function renderReleases(project: ProjectReport): SafeHtml {
  if (project.timeline.length === 0) return html`<p class="note">No releases registered for ${project.name} yet.</p>`;
  const group = domId("release", project.name);
  const chips = project.releases.map(
    (r) => html`<button type="button" class="release-chip" data-release="${r.release}" data-show="${domId("release", project.name, r.release)}" data-group="${group}">
${r.release} ${r.standings.map((s) => html`<span class="badge standing-${s}">${s}</span>`)}</button>`,
  );
  return html`${renderSwimlane(project.aliasSpans, project.timeline)}
<div class="release-chips" role="list">${chips}</div>
<div class="detail-panel">
<p class="hint" data-hint-for="${group}">Click a release for its gates, decisions and approvals.</p>
${join(project.releases.map((r) => renderReleaseDetail(project.name, r, group)))}
</div>
<h4>Events</h4>
${renderEvents(project.timeline)}`;
}

/** Lane geometry of the swimlane. */
const LANE = { label: 90, height: 26, gap: 8, width: 760 };

/**
 * Which alias held which release, along the project's registry events (one
 * step per event, so a burst of events in one second stays readable), with
 * decisions marked on a lane of their own.
 */
function renderSwimlane(spans: readonly AliasSpan[], timeline: readonly TimelineEntry[]): SafeHtml {
  const aliases = [...new Set(spans.map((s) => s.alias))];
  const steps = timeline.length;
  const indexOf = (seq: number): number => {
    const i = timeline.findIndex((e) => e.seq >= seq);
    return i < 0 ? steps : i;
  };
  const span = LANE.width - LANE.label - 10;
  const x = (i: number): number => LANE.label + (i / Math.max(1, steps)) * span;
  const laneY = (lane: number): number => 6 + lane * (LANE.height + LANE.gap);
  const lanes = [...aliases, "decisions"];
  const labels = lanes.map((name, lane) => html`<text class="lane-label" x="4" y="${laneY(lane) + 17}">${name}</text>`);
  const bars = spans.map((s) => {
    const lane = aliases.indexOf(s.alias);
    const from = x(indexOf(s.fromSeq));
    const to = x(s.toSeq === null ? steps : indexOf(s.toSeq));
    const label = s.release ?? "(cleared)";
    return html`<g class="span${s.release === null ? " cleared" : ""}"><rect x="${from}" y="${laneY(lane)}" width="${Math.max(2, to - from - 2)}" height="${LANE.height}" rx="4"/>
<text x="${from + 6}" y="${laneY(lane) + 17}">${label}</text><title>${s.alias} → ${label} since ${formatTime(s.since)} (event ${s.fromSeq})</title></g>`;
  });
  const decisionLane = laneY(aliases.length);
  const marks = timeline.flatMap((e, i) =>
    e.type === "decision"
      ? [html`<circle class="decision-mark decision-${e.decision ?? "other"}" cx="${x(i) + 6}" cy="${decisionLane + LANE.height / 2}" r="6"><title>${e.title}: ${e.why.join("; ")}</title></circle>`]
      : [],
  );
  const height = laneY(lanes.length);
  return html`<svg class="swimlane" viewBox="0 0 ${LANE.width} ${height}" role="img" aria-label="alias history"><title>Which release each alias held, event by event</title>${join(labels)}${join(bars)}${join(marks)}</svg>`;
}

function renderReleaseDetail(project: string, release: ReleaseSummary, group: string): SafeHtml {
  const metrics = Object.entries(release.metrics).map(([k, v]) => html`<li><code>${k}</code> ${formatNumber(v)}</li>`);
  const decisions = release.decisions.map(
    (d) => html`<li><span class="badge decision-${d.decision}">${d.decision}</span> ${formatTime(d.at)} by ${d.actor}${d.reason ? html` — ${d.reason}` : null}</li>`,
  );
  const approvals = release.approvals.map((a) => html`<li>${a.role} by ${a.by} at ${formatTime(a.at)}${a.note ? html` — ${a.note}` : null}</li>`);
  return html`<section class="detail release-detail" id="${domId("release", project, release.release)}" data-panel-group="${group}" data-release-detail="${release.release}" hidden>
<h4>${release.release} ${release.standings.map((s) => html`<span class="badge standing-${s}">${s}</span>`)}</h4>
<p class="muted">registered at event ${release.seq}, ${formatTime(release.at)} by ${release.createdBy}; manifest <code>${release.manifestDigest}</code></p>
${
  release.failedGates.length > 0
    ? html`<p class="failed-gates">Held: failed gates <strong>${release.failedGates.join(", ")}</strong></p>`
    : null
}
${renderGateTable(release.gates, domId("ev", project, release.release))}
${metrics.length > 0 ? html`<h5>Evaluation metrics</h5><ul class="inline">${metrics}</ul>` : null}
<h5>Decisions</h5>${decisions.length > 0 ? html`<ul>${decisions}</ul>` : html`<p class="note">none</p>`}
<h5>Approvals</h5>${approvals.length > 0 ? html`<ul>${approvals}</ul>` : html`<p class="note">none</p>`}
</section>`;
}

function renderEvents(timeline: readonly TimelineEntry[]): SafeHtml {
  const rows = timeline.map(
    (e) => html`<tr class="event-${e.type}">
<td class="num">${e.seq}</td><td>${formatTime(e.at)}</td><td>${e.actor}</td>
<td><span class="badge ${e.decision ? `decision-${e.decision}` : `event-${e.type}`}">${e.decision ?? e.type.replace("_", " ")}</span></td>
<td>${e.title}${e.why.length > 0 ? html`<ul class="why">${e.why.map((w) => html`<li>${w}</li>`)}</ul>` : null}
${e.evidence ? html`<details class="evidence"><summary>evidence</summary><pre>${JSON.stringify(e.evidence, null, 2)}</pre></details>` : null}</td>
</tr>`,
  );
  return html`<table class="events"><thead><tr><th>#</th><th>when</th><th>who</th><th>what</th><th>details</th></tr></thead><tbody>${rows}</tbody></table>`;
}
