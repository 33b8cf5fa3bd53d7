/**
 * `plots show` and `plots diff`: the series of every declared plot file,
 * from the workspace, git revisions (read through their sluice.lock and the
 * cache) or experiments (through their run records), overlaid plot by plot. A declared column the workspace's
 * file lacks is a definition error naming the file and the columns it has;
 * the same in an older revision, whose file may predate the declaration, is
 * a problem shown beside the plots.
 */
import type { PlotView, PlotViewSeries } from "../dashboard/index.js";
import { MAX_PLOT_FILE_BYTES, parsePlotTable, plotFormat, plotLines, type Stage, type StagePlot, type Workspace } from "../pipeline/index.js";
import { ok } from "../util/result.js";
import { sideFiles, sidesNamed, type LabelledSide } from "./compare-sides.js";
import { refuse, type OpResult } from "./failure.js";
import { workspaceFiles, type OutputFiles } from "./output-files.js";
import type { RemoteArgs } from "./remote.js";
import type { Side } from "./tracked-values.js";

/** The plots of one or more revisions: `plots show|diff --json`. */
export interface PlotsDocument {
  readonly revisions: readonly string[];
  readonly plots: readonly PlotView[];
  readonly problems: readonly string[];
}

/** The plots of the named revisions (see `sidesNamed`); `undefined`: the workspace alone (`plots show`). */
export async function comparePlots(workspace: Workspace, revisions: readonly string[] | undefined, remoteArgs: RemoteArgs): Promise<OpResult<PlotsDocument>> {
  const named = revisions === undefined ? { ok: true as const, sides: [WORKSPACE] } : sidesNamed(workspace.root, revisions, await experimentSides(workspace.root));
  if (!named.ok) return refuse("usage", named.problem);
  const files = await sideFiles(workspace, named.sides, remoteArgs);
  if (!files.ok) return files;
  const read = await Promise.all(named.sides.map((side, i) => plotsOn(workspace, files.value[i] as OutputFiles, side)));
  const definition = read.flatMap((side) => side.columnProblems);
  if (definition.length > 0) return refuse("usage", definition.join("\n"));
  return ok({ revisions: named.sides.map((s) => s.label), plots: overlay(read.map((side) => side.plots)), problems: read.flatMap((side) => side.problems) });
}

/** The workspace's plots for the HTML report: never a failure, every problem a note. */
export async function workspacePlots(workspace: Workspace): Promise<{ plots: PlotView[]; problems: string[] }> {
  const side = await plotsOn(workspace, workspaceFiles(workspace.root), WORKSPACE);
  return { plots: side.plots, problems: [...side.columnProblems, ...side.problems] };
}

const WORKSPACE: LabelledSide = { side: { kind: "workspace" }, label: "workspace" };

/** The finished experiments by name, as sides `plots diff` may name; none when the list cannot be read. */
async function experimentSides(root: string): Promise<Map<string, Side>> {
  const { readExperiments } = await import("./experiments-file.js");
  const read = readExperiments(root);
  const done = read.ok ? read.value.filter((e) => e.status === "done") : [];
  return new Map(done.map((e) => [e.name, { kind: "experiment", name: e.name, stages: e.stages } as const]));
}

interface SidePlots {
  readonly plots: PlotView[];
  /** Declared columns the workspace's files lack (definition errors). */
  readonly columnProblems: string[];
  readonly problems: string[];
}

/** Every plot file of every stage on one side, each with its series labelled by the side. */
async function plotsOn(workspace: Workspace, files: OutputFiles, { side, label }: LabelledSide): Promise<SidePlots> {
  const result: SidePlots = { plots: [], columnProblems: [], problems: [] };
  const note = (text: string) => result.problems.push(label === "workspace" ? text : `${label}: ${text}`);
  for (const stage of workspace.stages.values()) {
    for (const plot of stage.plots) {
      const paths = await plotFiles(stage, plot, files);
      if (!paths.ok) {
        note(`${plot.path} (${stage.id}) ${paths.problem}`);
        continue;
      }
      for (const path of paths.paths) {
        const drawn = await plotOf(stage, plot, path, files, label);
        if (drawn.ok) result.plots.push(drawn.plot);
        else if (drawn.column && side.kind === "workspace") result.columnProblems.push(`${path} (${stage.id}) ${drawn.problem}`);
        else note(`${path} (${stage.id}) ${drawn.problem}`);
      }
    }
  }
  return result;
}

/** The plot files of a declaration: the file itself, or each json/csv/tsv file in its folder. */
async function plotFiles(stage: Stage, plot: StagePlot, files: OutputFiles): Promise<{ ok: true; paths: string[] } | { ok: false; problem: string }> {
  if (plot.format) return { ok: true, paths: [plot.path] };
  const listed = await files.list(stage, plot);
  if (!listed.ok) return listed;
  const paths = listed.paths.filter((p) => plotFormat(p) !== undefined);
  return paths.length > 0 ? { ok: true, paths } : { ok: false, problem: "holds no .json, .csv or .tsv file" };
}

async function plotOf(
  stage: Stage,
  plot: StagePlot,
  path: string,
  files: OutputFiles,
  revision: string,
): Promise<{ ok: true; plot: PlotView } | { ok: false; problem: string; column: boolean }> {
  const inFolder = path === plot.path ? undefined : path.slice(plot.path.length + 1);
  const held = { path, out: plot.out, inner: plot.inner === undefined ? inFolder : inFolder === undefined ? plot.inner : `${plot.inner}/${inFolder}` };
  const bytes = await files.read(stage, held, MAX_PLOT_FILE_BYTES);
  if (!bytes.ok) return { ...bytes, column: false };
  const table = parsePlotTable(bytes.bytes.toString("utf8"), plotFormat(path) ?? "json");
  if (!table.ok) return { ...table, column: false };
  const lines = plotLines(table.table, plot);
  if (!lines.ok) return { ...lines, column: true };
  const title = plot.title === undefined ? path : inFolder === undefined ? plot.title : `${plot.title}: ${inFolder}`;
  const series = lines.lines.series.map((s): PlotViewSeries => ({ revision, y: s.y, x: s.x, values: s.values }));
  return { ok: true, plot: { path, stage: stage.id, title, x: lines.lines.x, series } };
}

/** One plot per file, its series from every side in side order; plots in the order first met. */
function overlay(sides: readonly PlotView[][]): PlotView[] {
  const byPath = new Map<string, PlotView>();
  for (const plots of sides) {
    for (const plot of plots) {
      const seen = byPath.get(plot.path);
      byPath.set(plot.path, seen ? { ...seen, series: [...seen.series, ...plot.series] } : plot);
    }
  }
  return [...byPath.values()];
}
