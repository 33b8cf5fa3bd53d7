// The synthetic pipeline every tool is asked to build: N `cmd` stages in
// layers of width ceil(sqrt N). Stage p of layer L reads stages p and p+1 of
// layer L-1 (when they exist), so column 0 of the first layer has exactly one
// dependent per layer: changing its input reruns one stage per layer (32 at
// N=1000), which makes the "one leaf changed" scenario easy to check.

/**
 * @typedef {{ name: string, index: number, layer: number, deps: string[] }} Stage
 * @typedef {{ n: number, width: number, layers: number, stages: Stage[], sinks: string[], leaf: string, closure: number }} Dag
 */

/** Builds the layered DAG for `n` stages. @returns {Dag} */
export function buildDag(n, { big = false } = {}) {
  const width = Math.ceil(Math.sqrt(n));
  const stages = [];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    const pos = i % width;
    const deps = [];
    if (layer > 0) {
      const prevStart = (layer - 1) * width;
      // The previous layer is always full (only the last layer can be short).
      deps.push(`s${prevStart + pos}`);
      if (pos + 1 < width) deps.push(`s${prevStart + pos + 1}`);
    }
    stages.push({ name: `s${i}`, index: i, layer, deps });
  }
  // The optional 1 GiB stage stands alone: it only exists so a no-op run has
  // a huge input whose bytes must not be read again.
  if (big) stages.push({ name: "big", index: n, layer: 0, deps: [], big: true });
  const depended = new Set(stages.flatMap((s) => s.deps));
  const sinks = stages.filter((s) => !depended.has(s.name)).map((s) => s.name);
  const layers = Math.ceil(n / width);
  return { n, width, layers, stages, sinks, leaf: "s0", closure: downstreamSize(stages, "s0") };
}

/** Counts `root` plus everything downstream of it. */
function downstreamSize(stages, root) {
  const hit = new Set([root]);
  // Stages are in topological order already (deps point to earlier layers).
  for (const s of stages) if (s.deps.some((d) => hit.has(d))) hit.add(s.name);
  return hit.size;
}

/** Size of every generated stage input, in bytes. */
export const INPUT_BYTES = 4096;

/**
 * Deterministic input text for a stage. `salt` makes a fresh variant for the
 * "input changed" scenario; each salt must be new, or a content-addressed
 * tool would restore an earlier result instead of rerunning.
 */
export function inputText(name, salt = "") {
  const head = `${name} ${salt}\n`;
  const line = `${name} is a 4 KiB input for the sluice benchmark.\n`;
  let body = head;
  while (body.length < INPUT_BYTES) body += line;
  return body.slice(0, INPUT_BYTES - 1) + "\n";
}

/**
 * The shell command of a stage, with `{in}`, `{out}` and `{depN}` slots each
 * emitter fills in its own syntax. The run log line counts executions the same
 * way for every tool.
 *
 * Deps are folded through `cksum` instead of being concatenated whole: with
 * two deps per stage plain concatenation doubles the output size per layer
 * (2^32 x 4 KiB at N=1000). The checksum keeps each output near 4 KiB while
 * any upstream byte still changes it, so tools with early cutoff rerun the
 * whole downstream closure too.
 */
export function commandTemplate(stage, runLog) {
  const log = `echo ${stage.name} >> ${runLog}`;
  // `wc -c <` answers from fstat, so the big stage itself stays cheap.
  if (stage.big) return `${log} && wc -c < {in} > {out}`;
  if (stage.deps.length === 0) return `${log} && cat {in} > {out}`;
  const deps = stage.deps.map((_, i) => `{dep${i}}`).join(" ");
  return `${log} && cat ${deps} | cksum | cat {in} - > {out}`;
}

/** Replaces `{in}`, `{out}`, `{depN}` with the strings a tool wants. */
export function fillCommand(template, slots) {
  return template.replace(/\{(in|out|dep\d+)\}/g, (_, key) => {
    const value = slots[key];
    if (value === undefined) throw new Error(`no value for {${key}}`);
    return value;
  });
}
