/**
 * Gate tables: value, threshold, pass or fail, and a link to the gate's
 * evidence (the record the evaluation stage wrote), so a reviewer can check
 * a verdict without leaving the page.
 */
import { formatScalar } from "./format.js";
import type { GateRow, GateTable } from "./report-model.js";
import { domId, html, type SafeHtml } from "./safe-html.js";

/** The gate tables of the releases canary and production hold now. */
export function renderGateTables(project: string, tables: readonly GateTable[]): SafeHtml {
  if (tables.length === 0) return html`<p class="note">Neither canary nor production points at a release of ${project} yet.</p>`;
  return html`${tables.map(
    (t) => html`<h4>${t.alias}: ${t.release}</h4>${renderGateTable(t.rows, domId("ev", project, t.alias, t.release))}`,
  )}`;
}

/**
 * One gate table and, below it, the evidence each row links to. `scope`
 * makes the evidence anchors unique in the page.
 */
export function renderGateTable(rows: readonly GateRow[], scope: string): SafeHtml {
  if (rows.length === 0) return html`<p class="note">No gate results recorded.</p>`;
  const body = rows.map((row) => {
    const anchor = domId(scope, row.name);
    return html`<tr class="${row.passed ? "pass" : "fail"}" data-gate="${row.name}">
<td>${row.name}${row.critical ? html` <span class="tag">critical</span>` : null}</td>
<td class="num">${formatScalar(row.value)}</td>
<td class="num">${formatScalar(row.threshold)}</td>
<td><span class="verdict ${row.passed ? "pass" : "fail"}">${row.passed ? "pass" : "fail"}</span></td>
<td><a href="#${anchor}" class="evidence-link">evidence</a>${row.why ? html` <span class="muted">${row.why}</span>` : null}</td>
</tr>`;
  });
  const evidence = rows.map(
    (row) => html`<details class="evidence" id="${domId(scope, row.name)}"><summary>${row.name} evidence</summary><pre>${JSON.stringify(row.evidence, null, 2)}</pre></details>`,
  );
  return html`<table class="gates"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>result</th><th>evidence</th></tr></thead><tbody>${body}</tbody></table>
<div class="evidence-list">${evidence}</div>`;
}
