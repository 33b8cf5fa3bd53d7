/**
 * The page's inline style sheet and script. The script is deliberately
 * small: it only shows the detail panel a click asks for and opens the
 * evidence a link points at; everything else is rendered in advance.
 */

/** Status and decision colours: strong for text and strokes, light for fills. */
export const PAGE_STYLE = `
:root { --ran: #2e7d32; --ran-bg: #e6f4e7; --cached: #1f5fa8; --cached-bg: #e4eefa; --held: #9a6400; --held-bg: #fff1cc;
  --failed: #c62828; --failed-bg: #fde8e8; --stale: #6b6b6b; --stale-bg: #f0f0f0; --line: #d0d4da; --muted: #5c6370; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330; background: #fafbfc; }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 12px; padding-top: 8px; }
h3 { font-size: 15px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h4 { font-size: 14px; margin: 10px 0 6px; }
h5 { font-size: 13px; margin: 10px 0 4px; }
nav a { margin-right: 14px; }
a { color: #1f5fa8; }
code { font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; }
.muted { color: var(--muted); }
.note { color: var(--muted); font-style: italic; }
.notes, .problems { color: var(--failed); }
section.project { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px 18px; margin: 18px 0; }
.legend-list { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 8px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px; margin-right: 4px; border: 1.5px solid; }
.dag-wrap { overflow-x: auto; }
svg.dag { display: block; max-width: 100%; height: auto; }
.node { cursor: pointer; }
.node rect { stroke-width: 1.8; }
.node:focus { outline: none; }
.node:focus rect, .node.selected rect { stroke-width: 3.5; }
.node-name { font-weight: 600; font-size: 13px; fill: #1d2330; }
.node-status { font-size: 11px; }
.edge { fill: none; stroke: #8a93a3; stroke-width: 1.4; }
.arrowhead { fill: #8a93a3; }
${["ran", "cached", "held", "failed", "stale"]
  .map(
    (s) => `.status-${s} rect, .swatch.status-${s} { fill: var(--${s}-bg); background: var(--${s}-bg); stroke: var(--${s}); border-color: var(--${s}); }
.status-${s} .node-status { fill: var(--${s}); }
.badge.status-${s} { background: var(--${s}-bg); color: var(--${s}); border-color: var(--${s}); }`,
  )
  .join("\n")}
.status-stale rect { stroke-dasharray: 5 3; }
.detail-panel { margin: 8px 0; }
.detail { border-left: 3px solid var(--line); padding: 4px 12px; margin: 6px 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 6px 0; }
td:first-child { white-space: nowrap; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: var(--failed-bg); }
.verdict { font-weight: 700; }
.verdict.pass { color: var(--ran); }
.verdict.fail { color: var(--failed); }
.tag { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; border: 1px solid var(--line); border-radius: 10px; padding: 0 7px; background: #f4f5f7; }
.standing-production, .decision-promote, .decision-canary_open { background: var(--ran-bg); color: var(--ran); border-color: var(--ran); }
.standing-canary { background: var(--cached-bg); color: var(--cached); border-color: var(--cached); }
.standing-held, .decision-hold, .decision-pause, .decision-warn { background: var(--held-bg); color: var(--held); border-color: var(--held); }
.standing-aborted, .standing-rolled-back, .decision-abort, .decision-rollback, .event-rollback { background: var(--failed-bg); color: var(--failed); border-color: var(--failed); }
.decision-retrain { background: #efe6f7; color: #6b3597; border-color: #6b3597; }
.release-chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
.release-chip { font: inherit; cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 4px 10px; }
.feed-chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
.feed-chip { font: inherit; font-size: 12px; cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 12px; padding: 2px 10px; }
.feed-chip.selected { border-color: #1f5fa8; background: var(--cached-bg); }
.release-chip.selected { border-color: #1f5fa8; box-shadow: 0 0 0 2px #c9dcf3; }
.failed-gates { color: var(--failed); }
.why { margin: 2px 0; padding-left: 18px; color: var(--muted); }
details.evidence pre { background: #f5f6f8; padding: 8px; overflow-x: auto; max-height: 320px; font-size: 12px; }
details.evidence:target, details.evidence[open] { border-left: 3px solid #1f5fa8; padding-left: 8px; }
.evidence-list details { margin: 2px 0; }
.evidence-list details:not([open]) { display: none; }
svg.swimlane { width: 100%; max-width: 760px; display: block; }
.lane-label { font-size: 12px; fill: var(--muted); }
.span rect { fill: var(--cached-bg); stroke: var(--cached); }
.span text { font-size: 11px; fill: #1d2330; }
.span.cleared rect { fill: #f4f4f4; stroke: #bbb; stroke-dasharray: 3 2; }
.decision-mark { stroke: #fff; stroke-width: 1.5; fill: #888; }
.decision-mark.decision-hold, .decision-mark.decision-pause, .decision-mark.decision-warn { fill: var(--held); }
.decision-mark.decision-abort, .decision-mark.decision-rollback { fill: var(--failed); }
.decision-mark.decision-promote, .decision-mark.decision-canary_open { fill: var(--ran); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 24px; }
figure.chart { margin: 6px 0; }
figure.chart svg { width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); }
.grid { stroke: #eceef1; }
.axis { stroke: #9aa1ad; }
.tick, .legend, .axis-label, .threshold-label, .divider-label { font-size: 11px; fill: #3b4250; }
.threshold { stroke-width: 1.4; stroke-dasharray: 6 4; }
.divider { stroke: #9aa1ad; stroke-dasharray: 2 3; }
.series { fill: none; stroke-width: 2; }
.series.dashed { stroke-dasharray: 4 3; stroke-width: 1.4; }
.chart-notes { font-size: 12px; color: var(--muted); margin: 0 0 10px; }
ol.chain { list-style: none; padding: 0; margin: 6px 0; }
ol.chain li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 0 0 18px; position: relative; background: #fff; max-width: 760px; }
ol.chain li + li::before { content: "▼"; position: absolute; top: -17px; left: 24px; font-size: 11px; color: var(--muted); }
.step { display: inline-block; min-width: 130px; color: var(--muted); }
.digest { color: #444; }
ul.inline { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; }
footer { max-width: 1180px; margin: 0 auto; padding: 10px 20px 30px; color: var(--muted); font-size: 12px; }
`;

/**
 * Clicking (or Enter on) an element with `data-show` reveals the panel with
 * that id among the panels of its `data-group`, hiding the others; a link to
 * a `<details>` opens it. Ids and groups are generated from `domId`, so they
 * are safe inside an attribute selector.
 */
export const PAGE_SCRIPT = `
(() => {
  "use strict";
  const show = (trigger) => {
    const group = trigger.getAttribute("data-group");
    const id = trigger.getAttribute("data-show");
    if (!group || !id) return;
    for (const panel of document.querySelectorAll('[data-panel-group="' + group + '"]')) panel.hidden = panel.id !== id;
    for (const other of document.querySelectorAll('[data-group="' + group + '"]')) {
      other.classList.toggle("selected", other === trigger);
      other.setAttribute("aria-pressed", String(other === trigger));
    }
    const hint = document.querySelector('[data-hint-for="' + group + '"]');
    if (hint) hint.hidden = true;
  };
  const openDetails = (id) => {
    const target = id ? document.getElementById(id) : null;
    if (target instanceof HTMLDetailsElement) target.open = true;
  };
  const triggerOf = (event) => (event.target instanceof Element ? event.target.closest("[data-show]") : null);
  document.addEventListener("click", (event) => {
    const trigger = triggerOf(event);
    if (trigger) show(trigger);
    // An evidence link opens its record before the browser scrolls to it, even when the hash is already set.
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    if (link) openDetails(decodeURIComponent(link.getAttribute("href").slice(1)));
  });
  document.addEventListener("keydown", (event) => {
    const trigger = triggerOf(event);
    if (!trigger || trigger.tagName === "BUTTON" || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    show(trigger);
  });
  const openTarget = () => openDetails(decodeURIComponent(location.hash.slice(1)));
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
`;
