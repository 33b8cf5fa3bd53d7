// The measured scenarios, in the order they run against one workspace. Each
// leaves the workspace built, which is the starting state of the next.
//
//   cold    outputs and cache wiped, build everything       expect N ran
//   noop    nothing changed                                 expect 0
//   change  first-layer input s0 gets new bytes             expect its closure
//   touch   s0 rewritten with the bytes it already has      expect 0 (make: closure, by mtime)
//   big     no-op with a 1 GiB input in the pipeline        expect 0, and no 1 GiB read
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inputText } from "./dag.mjs";
import { inPath } from "./emit-make.mjs";

/** Repetitions per scenario; a scenario also stops once it used its budget. */
export const REPS = {
  full: { cold: 3, noop: 10, change: 5, touch: 5, big: 5, budgetMs: 90_000 },
  quick: { cold: 1, noop: 3, change: 2, touch: 2, big: 2, budgetMs: 20_000 },
};

/** The scenarios with their expected rerun counts. */
export const SCENARIOS = [
  { name: "cold", expect: (dag) => dag.stages.length, prepare: (s) => s.reset() },
  { name: "noop", expect: () => 0, probe: true },
  { name: "change", expect: (dag) => dag.closure, prepare: (s, rep) => writeLeaf(s, `change-${rep}`) },
  {
    name: "touch",
    // make has no content check: a new mtime reruns the whole closure.
    expect: (dag, tool) => (tool === "make" ? dag.closure : 0),
    prepare: (s) => rewriteLeaf(s),
  },
];

/** The 1 GiB scenario runs in its own small workspace. */
export const BIG_SCENARIO = { name: "big", expect: () => 0, probe: true };

/**
 * Runs one scenario on every tool's workspace, interleaved: repetition r of
 * each tool before repetition r+1 of any. The machine is shared, so load
 * drifts over minutes; interleaving gives every tool the same drift and keeps
 * the ratios honest. `prepare` happens outside the timing. A warm-up no-op
 * precedes the no-op scenarios so that a first run after a build (filling a
 * stat cache, say) is not mistaken for the steady state.
 *
 * @param {import("./session.mjs").Session[]} sessions
 * @returns {Promise<Map<import("./session.mjs").Session, { samples: object[], error?: Error }>>}
 */
export async function runScenario(sessions, scenario, reps, log) {
  const state = new Map(sessions.map((s) => [s, { samples: [], spentMs: 0, done: false }]));
  const attempt = async (session, body) => {
    const entry = state.get(session);
    if (entry.done) return;
    const started = Date.now();
    try {
      await body(entry);
    } catch (error) {
      Object.assign(entry, { error, done: true });
      log(`  ${session.tool.name}: ${error.message}`);
    }
    entry.spentMs += Date.now() - started;
    if (entry.spentMs > reps.budgetMs) entry.done = true;
  };
  if (scenario.probe) for (const session of sessions) await attempt(session, () => session.run());
  for (const entry of state.values()) entry.spentMs = 0;
  for (let rep = 0; rep < reps[scenario.name]; rep++) {
    for (const session of sessions) {
      await attempt(session, async (entry) => {
        scenario.prepare?.(session, rep);
        const sample = await session.run();
        entry.samples.push(sample);
        log(`  ${scenario.name} #${rep + 1} ${session.tool.name}: ${sample.ms} ms, ${sample.reran} ran${sample.mismatch ? ` (${sample.mismatch})` : ""}`);
      });
    }
  }
  // Memory and bytes read come from one extra run through the wrappers.
  if (scenario.probe) {
    for (const session of sessions) {
      const entry = state.get(session);
      if (entry.error) continue;
      entry.done = false;
      await attempt(session, async () => {
        const sample = await session.run({ probe: true });
        entry.samples.push(sample);
        log(`  ${scenario.name} probe ${session.tool.name}: max RSS ${sample.maxRssKb} KiB, read ${sample.readBytes} B`);
      });
    }
  }
  return state;
}

function writeLeaf(session, salt) {
  writeFileSync(join(session.dir, inPath(session.dag.leaf)), inputText(session.dag.leaf, salt));
}

/** Same bytes, new mtime (and, on most file systems, a new ctime). */
function rewriteLeaf(session) {
  const path = join(session.dir, inPath(session.dag.leaf));
  writeFileSync(path, readFileSync(path));
}

/** Brings every tool to the same final input, for the outputs cross-check. */
export function settleLeaf(session) {
  writeLeaf(session, "final");
}
