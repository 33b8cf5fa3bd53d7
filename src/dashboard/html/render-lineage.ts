/**
 * Lineage of a live release, read top to bottom: the alias, the release and
 * its manifest, the evidence that let it through, the model and policy it
 * serves, and the features and data snapshot they were built from.
 */
import type { Lineage } from "../../registry/index.js";
import { formatNumber, formatTime } from "./format.js";
import { html, type HtmlValue, type SafeHtml } from "./safe-html.js";

/** Lineage of each live release of a project. */
export function renderLineage(project: string, lineage: readonly Lineage[]): SafeHtml {
  if (lineage.length === 0) return html`<p class="note">Nothing of ${project} is live, so there is no lineage to trace.</p>`;
  return html`<div class="lineages">${lineage.map(renderOne)}</div>`;
}

function renderOne(l: Lineage): SafeHtml {
  const passed = l.gates.filter((g) => g.passed).length;
  const thresholds = Object.entries(l.actionPolicy.thresholds).map(([k, v]) => `${k} ${formatNumber(v)}`).join(", ");
  const metrics = Object.entries(l.evaluation.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(", ");
  const keys = Object.entries(l.build.stageKeys).sort((a, b) => a[0].localeCompare(b[0]));
  const step = (what: string, name: HtmlValue, digest: string | undefined, extra?: HtmlValue): SafeHtml =>
    html`<li><span class="step">${what}</span> <strong>${name}</strong>${digest ? html` <code class="digest">${digest}</code>` : null}${extra ? html`<div class="muted">${extra}</div>` : null}</li>`;
  return html`<div class="lineage" data-lineage="${l.release}">
<ol class="chain">
${step("alias", l.liveAs.map((a) => `@${a}`).join(", "), undefined)}
${step("release", l.release, l.manifestDigest, `registered at event ${l.registeredAt} by ${l.build.createdBy}, ${formatTime(l.build.createdAt)}; commit ${l.build.pipelineCommit ?? "(not in git)"}${l.build.trigger ? `; trigger ${l.build.trigger.kind}: ${l.build.trigger.cause}` : ""}`)}
${step("gates", `${passed} of ${l.gates.length} passed`, undefined, l.gates.map((g) => `${g.passed ? "✓" : "✗"} ${g.name}`).join("  "))}
${step("evaluation report", "", l.evaluation.reportDigest, metrics)}
${step("monitor policy", l.monitorPolicy.id, l.monitorPolicy.digest)}
${step("action policy", l.actionPolicy.id, l.actionPolicy.digest, thresholds)}
${step("model", l.model.id, l.model.digest)}
${step("features", l.features.version, l.features.digest)}
${step("data snapshot", l.data.id, l.data.digest)}
</ol>
<details><summary>built by ${keys.length} stages; ${l.approvals.length} approvals</summary>
<table class="keys"><tbody>${keys.map(([stage, key]) => html`<tr><td>${stage}</td><td><code>${key}</code></td></tr>`)}</tbody></table>
${l.approvals.length > 0 ? html`<ul>${l.approvals.map((a) => html`<li>${a.role} by ${a.by} at ${formatTime(a.at)}${a.note ? ` — ${a.note}` : ""}</li>`)}</ul>` : null}
</details>
</div>`;
}
