// Turns raw samples into the summary rows stored in bench/results and the
// Markdown tables printed at the end (and pasted into bench/README.md).
import { median } from "./measure.mjs";

/**
 * @typedef {{ tool: string, n: number, scenario: string, reps: number,
 *   medianMs: number|null, minMs: number|null, reran: number|null, expected: number,
 *   ratioVsMake: number|null, maxRssKb: number|null, readBytes: number|null,
 *   notes: string[] }} Row
 */

/** Summarises one scenario's samples. @returns {Row} */
export function summarize(tool, n, scenario, expected, samples) {
  const timed = samples.filter((s) => !s.probe);
  const probe = samples.find((s) => s.probe);
  const reruns = timed.map((s) => s.reran);
  const notes = [...new Set(timed.map((s) => s.mismatch).filter(Boolean))];
  if (reruns.some((r) => r !== expected)) notes.push(`expected ${expected} to rerun, counted ${[...new Set(reruns)].join("/")}`);
  return {
    tool,
    n,
    scenario,
    reps: timed.length,
    medianMs: median(timed.map((s) => s.ms)),
    minMs: timed.length ? Math.min(...timed.map((s) => s.ms)) : null,
    reran: median(reruns),
    expected,
    ratioVsMake: null,
    maxRssKb: probe?.maxRssKb ?? null,
    readBytes: probe?.readBytes ?? null,
    reported: timed.at(-1)?.reported,
    notes,
    samples,
  };
}

/** Fills `ratioVsMake` from the make row of the same size and scenario. */
export function addRatios(rows) {
  for (const row of rows) {
    const make = rows.find((r) => r.tool === "make" && r.n === row.n && r.scenario === row.scenario);
    if (make?.medianMs && row.medianMs !== null) row.ratioVsMake = round2(row.medianMs / make.medianMs);
  }
}

/** make first (the baseline), then sluice, then its peers. */
const COLUMN_ORDER = ["make", "sluice", "wireit", "turbo"];

const SCENARIO_LABELS = {
  cold: "cold",
  noop: "no-op",
  change: "one leaf changed",
  touch: "same bytes rewritten",
  big: "no-op, 1 GiB input",
};

/** The human tables: time (ratio vs make) [stages rerun], then memory and reads. */
export function renderMarkdown(rows, skipped, outputs = {}) {
  const present = new Set(rows.map((r) => r.tool));
  const tools = [...COLUMN_ORDER.filter((t) => present.has(t)), ...[...present].filter((t) => !COLUMN_ORDER.includes(t))];
  const out = [];
  for (const n of [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b)) {
    out.push(`#### N = ${n}`, "", `| scenario | ${tools.join(" | ")} |`, `|---|${tools.map(() => "---:").join("|")}|`);
    for (const scenario of Object.keys(SCENARIO_LABELS)) {
      const cells = tools.map((t) => cell(rows.find((r) => r.tool === t && r.n === n && r.scenario === scenario)));
      if (cells.some((c) => c !== "–")) out.push(`| ${SCENARIO_LABELS[scenario]} | ${cells.join(" | ")} |`);
    }
    const probes = tools.map((t) => rows.find((r) => r.tool === t && r.n === n && r.scenario === "noop"));
    if (probes.some((r) => r?.maxRssKb)) out.push(`| no-op max RSS | ${probes.map((r) => mib(r?.maxRssKb)).join(" | ")} |`);
    const big = tools.map((t) => rows.find((r) => r.tool === t && r.n === n && r.scenario === "big"));
    if (big.some((r) => r?.readBytes)) out.push(`| 1 GiB no-op: bytes read | ${big.map((r) => bytes(r?.readBytes)).join(" | ")} |`);
    out.push("");
  }
  const notes = rows.flatMap((r) => r.notes.map((note) => `- ${r.tool} N=${r.n} ${r.scenario}: ${note}`));
  if (notes.length) out.push("Notes:", ...notes, "");
  for (const [n, byTool] of Object.entries(outputs)) {
    const same = new Set(Object.values(byTool)).size === 1;
    out.push(`Outputs at N=${n} after the same final input: ${same ? "identical across " + Object.keys(byTool).join(", ") : "DIFFER " + JSON.stringify(byTool)}`);
  }
  if (Object.keys(outputs).length) out.push("");
  if (skipped.length) out.push("Skipped:", ...skipped.map((s) => `- ${s.tool} N=${s.n}: ${s.why}`), "");
  return out.join("\n");
}

function cell(row) {
  if (!row || row.medianMs === null) return "–";
  const ratio = row.tool !== "make" && row.ratioVsMake !== null ? ` (${row.ratioVsMake}x)` : "";
  const flag = row.notes.length ? "!" : "";
  return `${ms(row.medianMs)}${ratio} [${row.reran}${flag}]`;
}

const ms = (v) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const mib = (kb) => (kb ? `${Math.round(kb / 1024)} MiB` : "–");
const bytes = (b) => (b === null || b === undefined ? "–" : b >= 1 << 20 ? `${Math.round(b / (1 << 20))} MiB` : `${Math.round(b / 1024)} KiB`);
const round2 = (v) => Math.round(v * 100) / 100;
