/**
 * Turns declared projects into the validated `Workspace`. Every problem is
 * collected, not just the first, so one run of `sluice` shows them all.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { notJsonReason } from "../util/canonical-json.js";
import { fail, ok, type Result } from "../util/result.js";
import { closestName, didYouMean, nearbyFile } from "../util/did-you-mean.js";
import { EXECUTOR_NAMES, STAGE_DECL_KEYS, type DeclaredProject, type DeclaredStage, type DepRef, type OutDecl } from "./decl.js";
import type { Diagnostic } from "./diagnostic.js";
import {
  parseStageId,
  stageId,
  STAGE_NAME,
  type Project,
  type Stage,
  type StageDep,
  type StageId,
  type StageMetrics,
  type StageOut,
  type StagePlot,
  type Workspace,
} from "./model.js";
import type { ModuleLoader } from "./load.js";
import { structuredFormat } from "./params-file.js";
import { ParamsFileReads, paramsFromFiles } from "./params-files-decl.js";
import { outOptions, stageOptions, urlDep } from "./stage-options-decl.js";
import { plotFormat, stagePlot } from "./plots-decl.js";
import { PathProbe } from "./path-probe.js";
import { exportingModules } from "./run-module.js";
import { packageOfFunction } from "./define.js";
import { isLazyRun, lazyRunModule } from "./lazy-run.js";
import { computedImportIn, scanImportsOnce } from "./module-graph.js";
import { keyLocation } from "./key-position.js";

const PLACEHOLDER = /\{(deps|outs|params)\.([A-Za-z0-9_]+)\}/g;

/** Validates declared projects into a runnable workspace, or every problem found. */
export async function validateWorkspace(
  root: string,
  file: string,
  declared: readonly DeclaredProject[],
  remoteCache: string | undefined,
  loader: ModuleLoader,
): Promise<Result<Workspace, readonly Diagnostic[]>> {
  const problems: Diagnostic[] = [];
  const stages = new Map<StageId, Stage>();
  const projects: Project[] = [];
  const seenProjects = new Set<string>();
  const outputOwners: OutputOwners = { exact: new Map(), below: new Map() };
  const urlPaths = new Map<string, { url: string; digest: string; stage: StageId }>();
  const declaredIds = new Set(declared.flatMap((p) => p.stages.map((s) => s.handle.id)));
  const paths = new PathProbe(root);
  const paramsFiles = new ParamsFileReads();
  const moduleTexts = new Map<string, string>();
  const moduleText = (path: string): string => {
    let text = moduleTexts.get(path);
    if (text === undefined) moduleTexts.set(path, (text = readFileSync(path, "utf8")));
    return text;
  };
  const declaredOutputs = outputsDeclared(root, declared);

  for (const project of declared) {
    if (seenProjects.has(project.name)) {
      problems.push({ reason: "duplicate-project", message: `${project.file}: duplicate project name "${project.name}"` });
      continue;
    }
    seenProjects.add(project.name);
    if (!STAGE_NAME.test(project.name)) {
      problems.push({ reason: "invalid-name", message: `${project.file}: invalid project name "${project.name}"` });
    }
    for (const problem of project.problems) {
      problems.push({ reason: "duplicate-stage", message: at(problem.location, problem.message), location: problem.location });
    }
    const scope: ProjectScope = {
      root,
      project,
      declaredIds,
      // Finding which module exports a function imports every module the pipeline file does: only for
      // stages that hold their function (`runFrom` names its module, and a packaged function its package).
      modules: project.stages.some(({ decl }) => typeof decl.run === "function" && packageOfFunction(decl.run) === undefined)
        ? await exportingModules(project.file, loader)
        : new Map(),
      moduleFile: loader.entryFor(project.file),
      paths,
      moduleText,
      paramsFiles,
      place: placer(root, project.dir),
      declaredOutputs,
    };
    const ids: StageId[] = [];
    for (const declaredStage of project.stages) {
      const declaredId = parseStageId(declaredStage.handle.id);
      if (declaredId && stages.has(declaredId)) continue; // reported as duplicate-stage
      const stage = validateGuarded(scope, declaredStage, problems);
      if (!stage) continue;
      for (const out of stage.outs) claimOutput(out, stage, declaredStage, outputOwners, problems);
      claimUrlPaths(stage, declaredStage, urlPaths, problems);
      stages.set(stage.id, stage);
      ids.push(stage.id);
    }
    projects.push({ name: project.name, dir: project.dir, file: project.file, stages: ids });
  }
  for (const { reader, message } of paramsFiles.problems()) {
    problems.push({ reason: "missing-param", message: at(reader.location, `stage ${reader.id}: ${message}`), stage: reader.id, location: reader.location });
  }
  if (problems.length > 0) return fail(problems);
  return ok({ root, file, projects, stages: linkOutputPaths(stages), remoteCache });
}

/** Stages may share a URL dep's place only when they fetch the same URL with the same pin. */
function claimUrlPaths(
  stage: Stage,
  declared: DeclaredStage,
  claimed: Map<string, { url: string; digest: string; stage: StageId }>,
  problems: Diagnostic[],
): void {
  for (const dep of stage.deps) {
    if (dep.kind !== "url") continue;
    const first = claimed.get(dep.path);
    if (!first) claimed.set(dep.path, { url: dep.url, digest: dep.digest, stage: stage.id });
    else if (first.url !== dep.url || first.digest !== dep.digest) {
      const message = `stage ${stage.id}: dep "${dep.name}" places ${dep.url} at ${dep.path}, where ${first.stage} places ${first.url} (pinned ${first.digest}): use one url(...) for both, or another path`;
      problems.push({ reason: "duplicate-output", message: at(declared.location, message), stage: stage.id, location: declared.location });
    }
  }
}

/** Output deps learn the workspace path of the output they read from its writer. */
function linkOutputPaths(stages: Map<StageId, Stage>): Map<StageId, Stage> {
  const linked = new Map<StageId, Stage>();
  for (const [id, stage] of stages) {
    const deps = stage.deps.map((dep) => {
      if (dep.kind !== "output") return dep;
      const out = stages.get(dep.stage)?.outs.find((o) => o.name === dep.out);
      return { ...dep, path: out?.path ?? "" };
    });
    linked.set(id, { ...stage, deps });
  }
  return linked;
}

/**
 * A declaration can hold anything a script can build (`file(schema)`, a
 * function where a path belongs): whatever the checks below did not foresee
 * becomes a diagnostic on that stage, never a crash.
 */
function validateGuarded(...args: Parameters<typeof validateStage>): Stage | undefined {
  const [, declared, problems] = args;
  try {
    return validateStage(...args);
  } catch (error) {
    const id = declared.handle.id;
    problems.push({
      reason: "invalid-declaration",
      message: at(declared.location, `stage ${id}: invalid declaration: ${error instanceof Error ? error.message : String(error)}`),
      stage: id,
      location: declared.location,
    });
    return undefined;
  }
}

function validateStage(scope: ProjectScope, declared: DeclaredStage, problems: Diagnostic[]): Stage | undefined {
  const { root, project, modules, moduleFile } = scope;
  const { decl, location, handle } = declared;
  const id = stageId(project.name, handle.name);
  const before = problems.length;
  /** A problem of the stage, placed at the line of `key` when one is named and written in the call (key-position.ts). */
  const report = (reason: Diagnostic["reason"], message: string, key?: string): void => {
    const where = key === undefined ? location : keyLocation(location, key);
    problems.push({ reason, message: at(where, `stage ${id}: ${message}`), stage: id, location: where });
  };

  if (!STAGE_NAME.test(handle.name)) report("invalid-name", `invalid stage name "${handle.name}" (letters, digits, _ . -)`);
  for (const key of Object.keys(decl)) {
    if ((STAGE_DECL_KEYS as readonly string[]).includes(key)) continue;
    const near = closestName(key, STAGE_DECL_KEYS);
    const hint = near === undefined ? ` (a stage declares ${STAGE_DECL_KEYS.join(", ")})` : `; did you mean "${near}"?`;
    const written = keyLocation(location, key);
    problems.push({ reason: "unknown-key", message: at(written, `unknown key "${key}" in stage ${id}${hint}`), stage: id, location: written });
  }
  const lazy = isLazyRun(decl.run) ? lazyRunModule(decl.run, scope.moduleText) : undefined;
  if (lazy && "problem" in lazy) report("bad-run-reference", lazy.problem);
  const hasRun = typeof decl.run === "function" || lazy !== undefined;
  const hasCmd = typeof decl.cmd === "string";
  if (hasRun && hasCmd) report("two-actions", "declares both run and cmd; choose one");
  if (!hasRun && !hasCmd) report("no-action", "declares neither run (a function) nor cmd (a shell command)");

  const params = decl.params ?? {};
  for (const [name, value] of Object.entries(params)) {
    const reason = notJsonReason(value, `params.${name}`);
    if (reason) report("param-not-json", reason, "params");
  }

  const outs: StageOut[] = [];
  const metrics: StageMetrics[] = [];
  const plots: StagePlot[] = [];
  const dirOuts = Object.entries(decl.outs ?? {}).flatMap(([name, out]) =>
    out?.kind === "dir" && typeof out.path === "string" ? [{ name, path: scope.place(out.path).inWorkspace }] : [],
  );
  for (const [name, out] of Object.entries(decl.outs ?? {}).sort(byKey)) {
    const path = outputPath(handle.name, name, out);
    const placed = scope.place(path);
    const rel = placed.inProject;
    if (isAbsolute(path) || rel.startsWith("../") || rel === ".." || rel === "") {
      report("output-outside-project", `output "${name}" (${path}) is outside the project folder ${toPosix(relative(root, project.dir)) || "."}`, "outs");
      continue;
    }
    if (!scope.paths.inside(placed.absolute)) {
      report("output-outside-project", `output "${name}" (${path}) would be written through a symlink leading outside the workspace`, "outs");
      continue;
    }
    if (out.kind === "metrics") {
      const format = structuredFormat(path);
      if (!format) {
        report("bad-metrics", `metrics output "${name}" (${path}) must be a .json, .yaml or .yml file`, "outs");
        continue;
      }
      // Inside a directory output of this stage, the directory holds the bytes: one writer, one stored object.
      const holder = dirOuts.find((d) => placed.inWorkspace.startsWith(`${d.path}/`));
      const inner = holder ? placed.inWorkspace.slice(holder.path.length + 1) : undefined;
      metrics.push({ name, path: placed.inWorkspace, format, out: holder?.name ?? name, inner });
      if (holder) continue;
    }
    let plot: StagePlot | undefined;
    if (out.kind === "plots") {
      const holder = dirOuts.find((d) => placed.inWorkspace.startsWith(`${d.path}/`));
      const checked = stagePlot(out, { name, inWorkspace: placed.inWorkspace, holder });
      if (!checked.ok) {
        report("bad-plots", `plots output "${name}" (${path}) ${checked.problem}`, "outs");
        continue;
      }
      plot = checked.plot;
      plots.push(plot);
      if (holder) continue;
    }
    // A json output named "metrics" was how metrics were declared before metrics(): it still counts as one.
    if (out.kind === "json" && name === "metrics") metrics.push({ name, path: placed.inWorkspace, format: "json", out: name, inner: undefined });
    outs.push({
      name,
      kind: out.kind === "metrics" ? "file" : out.kind === "plots" ? (plot?.format ? "file" : "dir") : out.kind,
      path: placed.inWorkspace,
      schema: out.kind === "json" ? out.schema : undefined,
      ...outOptions(name, out, report),
    });
  }

  const deps: StageDep[] = [];
  const upstream = new Set<StageId>();
  for (const [name, ref] of Object.entries(decl.deps ?? {}).sort(byKey)) {
    const dep = resolveDep(scope, name, ref, (reason, message) => report(reason, message, "deps"));
    if (!dep) continue;
    if (dep.kind === "output") upstream.add(dep.stage);
    deps.push(dep);
  }

  const fromFiles = paramsFromFiles({ ...scope, outputClash: (rel) => outputClash(scope.declaredOutputs, rel) }, { id, location }, decl, deps, report);
  const inDirs = new Map(
    [...metrics.map((m) => ({ ...m, what: "a metrics file" })), ...plots.map((p) => ({ ...p, what: "a plot" }))]
      .filter((m) => m.inner !== undefined)
      .map((m) => [m.name, m]),
  );

  if (hasCmd) {
    // Names as declared: a dep or output that failed its own check above is reported there, not again here.
    const known = { deps: new Set(Object.keys(decl.deps ?? {})), outs: new Set(Object.keys(decl.outs ?? {})), params: new Set(Object.keys(params)) };
    for (const [, group, name] of (decl.cmd as string).matchAll(PLACEHOLDER)) {
      const named = known[group as keyof typeof known];
      if (!named.has(name as string)) {
        report("unknown-placeholder", `cmd uses {${group}.${name}} but declares no ${group} named "${name}"${didYouMean(name as string, named, (near) => `{${group}.${near}}`)}`, "cmd");
      } else if (group === "outs" && inDirs.has(name as string)) {
        const held = inDirs.get(name as string);
        report("unknown-placeholder", `cmd uses {outs.${name}}, ${held?.what} inside directory output "${held?.out}": write it below {outs.${held?.out}}`, "cmd");
      }
    }
  }

  const resources = decl.resources ?? {};
  for (const [name, amount] of Object.entries(resources)) {
    if (typeof amount !== "number" || !(amount >= 0)) report("bad-resources", `resource ${name} must be a non-negative number`, "resources");
  }

  const options = stageOptions(decl, scope.place, report);

  if (decl.executor !== undefined && !EXECUTOR_NAMES.includes(decl.executor)) {
    report("bad-executor", `executor ${JSON.stringify(decl.executor)} is not one of ${EXECUTOR_NAMES.map((n) => `"${n}"`).join(", ")}`, "executor");
  }

  if (problems.length > before) return undefined;
  const fn = typeof decl.run === "function" ? (decl.run as (...args: never[]) => unknown) : undefined;
  const pkg = packageOfFunction(fn);
  const module = lazy && "module" in lazy ? lazy.module : modules.get(fn);
  // A run stage is keyed by the files its code imports; a local module whose path is built as the code runs is not among them.
  const computed = hasRun && pkg === undefined ? computedImportIn(module ?? project.file, scanImportsOnce) : undefined;
  if (computed) {
    const message =
      `stage ${id}: its code imports a local module by a path computed as it runs, which the stage's key cannot hold (a change to that module would go unseen); ` +
      `import each by name, e.g. { a: () => import("./a.js"), b: () => import("./b.js") }[name](), or read data files through deps`;
    problems.push({ reason: "computed-import", message: at(computed, message), stage: id, location: computed });
    return undefined;
  }
  return {
    id,
    project: project.name,
    name: handle.name,
    projectDir: project.dir,
    file: project.file,
    moduleFile,
    location,
    description: decl.description,
    deps,
    params: fromFiles ? { ...params, ...fromFiles.values } : params,
    paramsFiles: fromFiles?.files ?? [],
    outs,
    metrics,
    plots,
    action: hasRun ? { kind: "run", fn, module, ...(pkg === undefined ? {} : { package: pkg }) } : { kind: "cmd", cmd: decl.cmd as string },
    env: [...new Set(decl.env ?? [])].sort(),
    probes: [...new Set(decl.probes ?? [])].sort(),
    resources,
    alwaysRun: decl.alwaysRun === true,
    ...options,
    executor: decl.executor ?? "local",
    confirmHit: decl.confirmHit,
    upstream: [...upstream].sort(),
  };
}

function resolveDep(
  { paths, place, declaredIds, declaredOutputs }: ProjectScope,
  name: string,
  ref: DepRef,
  report: (reason: Diagnostic["reason"], message: string) => void,
): StageDep | undefined {
  switch (ref?.ref) {
    case "source": {
      const { absolute, inWorkspace: rel } = place(ref.path);
      if (rel.startsWith("../") || isAbsolute(rel)) {
        report("input-outside-workspace", `dep "${name}" (${ref.path}) is outside the workspace`);
        return undefined;
      }
      // Before the existence check: such a file is absent until its writer runs, and then a loop.
      const written = outputClash(declaredOutputs, rel);
      if (written) {
        report("source-is-output", `dep "${name}" is source("${ref.path}"), but ${written}`);
        return undefined;
      }
      const kind = paths.kind(absolute);
      if (kind === "missing" || (kind === "symlink" && !existsSync(absolute))) {
        report("missing-input", `dep "${name}" names ${rel}, which does not exist${nearbyFile(absolute, rel)}`);
        return undefined;
      }
      if (!paths.inside(absolute)) {
        report("input-outside-workspace", `dep "${name}" (${rel}) is a symlink leading outside the workspace`);
        return undefined;
      }
      return { name, kind: "source", path: rel };
    }
    case "output": {
      const upstream = ref.stage.id;
      if (!declaredIds.has(upstream)) {
        report("unknown-stage", `dep "${name}" reads ${upstream}, which is not a stage of this workspace (is its project listed in the root pipeline.ts?)`);
        return undefined;
      }
      const upstreamId = parseStageId(upstream);
      if (!upstreamId) return undefined; // its own invalid-name diagnostic says why
      const out = ref.out;
      const holder = out?.kind === "metrics" || out?.kind === "plots" ? holdingDir(ref.stage, out.path) : undefined;
      if (holder) {
        report("unknown-stage", `dep "${name}" reads ${out.kind === "metrics" ? "metrics file" : "plot"} ${out.path} inside directory output "${holder}" of ${upstream}: depend on ${ref.stage.name}.outs.${holder}`);
        return undefined;
      }
      return {
        name,
        kind: "output",
        path: "", // filled in by linkOutputPaths once every stage is validated
        stage: upstreamId,
        out: ref.name,
        schema: out.kind === "json" ? out.schema : undefined,
        outKind: out.kind === "metrics" ? "file" : out.kind === "plots" ? (plotFormat(out.path) ? "file" : "dir") : out.kind,
      };
    }
    case "external":
      return { name, kind: "external", ref };
    case "url":
      return urlDep(name, ref, { place, inside: (absolute) => paths.inside(absolute), outputClash: (rel) => outputClash(declaredOutputs, rel) }, report);
    default:
      report(
        "unknown-stage",
        ref === undefined
          ? `dep "${name}" is undefined: is the output it reads misspelt (stage.outs.<name>)?`
          : `dep "${name}" is not a source(...), another stage's output, url(...) or external(...)`,
      );
      return undefined;
  }
}

/** The name of the directory output of `stage` that holds the project-relative `path`, if one does. */
function holdingDir(stage: DeclaredStage["handle"], path: string): string | undefined {
  const norm = (p: string) => p.replace(/^\.\//, "").replace(/\/+$/, "");
  for (const [name, ref] of Object.entries(stage.outs)) {
    if (ref.out.kind === "dir" && norm(path).startsWith(`${norm(ref.out.path)}/`)) return name;
  }
  return undefined;
}

/** What validating one project's stages needs. */
interface ProjectScope {
  readonly root: string;
  readonly project: DeclaredProject;
  /** Every stage id of the workspace, for deps on other stages. */
  readonly declaredIds: ReadonlySet<string>;
  /** Exported function -> the module exporting it (run stages). */
  readonly modules: ReadonlyMap<unknown, string>;
  readonly moduleFile: string;
  readonly paths: PathProbe;
  /** A module's text, read once per validation (`runFrom` references name their modules). */
  readonly moduleText: (path: string) => string;
  readonly paramsFiles: ParamsFileReads;
  readonly place: (path: string) => Placed;
  /** Every output path any stage declares, for sources that would read one. */
  readonly declaredOutputs: DeclaredOutputs;
}

/** A declared output, by workspace path, and every folder that holds one. */
interface DeclaredOutputs {
  readonly exact: Map<string, DeclaredOutput>;
  readonly below: Map<string, DeclaredOutput>;
}

interface DeclaredOutput {
  readonly stage: string;
  readonly name: string;
  readonly path: string;
}

/**
 * The workspace paths every stage of every project declares as outputs,
 * gathered before any stage is validated: a source may name the output of a
 * stage declared after it. A declaration too broken to place is skipped here
 * and reported by its own stage's checks.
 */
function outputsDeclared(root: string, declared: readonly DeclaredProject[]): DeclaredOutputs {
  const outputs: DeclaredOutputs = { exact: new Map(), below: new Map() };
  for (const project of declared) {
    const place = placer(root, project.dir);
    for (const { decl, handle } of project.stages) {
      try {
        for (const [name, out] of Object.entries(decl.outs ?? {})) {
          const path = place(outputPath(handle.name, name, out)).inWorkspace;
          const output = { stage: handle.id, name, path };
          if (!outputs.exact.has(path)) outputs.exact.set(path, output);
          const parts = path.split("/");
          for (let i = 1; i < parts.length; i++) {
            const folder = parts.slice(0, i).join("/");
            if (!outputs.below.has(folder)) outputs.below.set(folder, output);
          }
        }
      } catch {
        // reported by validateGuarded for that stage
      }
    }
  }
  return outputs;
}

/**
 * Why a source at workspace path `rel` would read what a stage writes (it is
 * an output, lies inside a directory output, or is a folder holding one),
 * with the fix; undefined when it reads no output. A source is hashed as the
 * workspace holds it, so reading an output that way hides the edge from the
 * DAG: the reader runs before the writer, and after it reruns forever.
 */
function outputClash(outputs: DeclaredOutputs, rel: string): string | undefined {
  const use = (o: DeclaredOutput) => `use ${o.stage.slice(o.stage.indexOf(":") + 1)}.outs.${o.name} instead (the output itself, so the DAG knows the order)`;
  const exact = outputs.exact.get(rel);
  if (exact) return `${rel} is output "${exact.name}" of stage ${exact.stage}: ${use(exact)}`;
  const parts = rel.split("/");
  for (let i = parts.length - 1; i >= 1; i--) {
    const dir = outputs.exact.get(parts.slice(0, i).join("/"));
    if (dir) return `${rel} lies inside ${dir.path}, output "${dir.name}" of stage ${dir.stage}: ${use(dir)}`;
  }
  const held = outputs.below.get(rel);
  if (held) return `${rel} holds ${held.path}, output "${held.name}" of stage ${held.stage}: ${use(held)}, and name only the sources the folder keeps`;
  return undefined;
}

/** A project-relative path resolved: absolute, and relative (with "/") to the project and to the workspace. */
interface Placed {
  readonly absolute: string;
  readonly inProject: string;
  readonly inWorkspace: string;
}

/** Relative, "/"-separated, and without empty, "." or ".." segments: already what path.resolve would make of it. */
const NORMAL_RELATIVE = /^(?!\.\.?(?:\/|$))[^/\\]+(?:\/(?!\.\.?(?:\/|$))[^/\\]+)*$/;

/** Resolves paths declared in the project at `projectDir`; the usual, already normal path skips path.resolve (thousands per pipeline). */
function placer(root: string, projectDir: string): (path: string) => Placed {
  const prefix = toPosix(relative(root, projectDir));
  const base = projectDir.endsWith(sep) ? projectDir : `${projectDir}${sep}`;
  return (path) => {
    if (NORMAL_RELATIVE.test(path)) return { absolute: `${base}${path}`, inProject: path, inWorkspace: prefix ? `${prefix}/${path}` : path };
    const absolute = resolve(projectDir, path);
    return { absolute, inProject: toPosix(relative(projectDir, absolute)), inWorkspace: toPosix(relative(root, absolute)) };
  };
}

/** The project-relative path of an output; json outputs default to `out/<stage>/<name>.json`. */
function outputPath(stageName: string, outName: string, out: OutDecl): string {
  if (out.kind === "json") return out.path ?? `out/${stageName}/${outName}.json`;
  return out.path;
}

/**
 * Two stages may not write the same path, nor one inside another's directory
 * output. Checked against every ancestor of the path, so the cost per output
 * is its depth, not the number of outputs.
 */
function claimOutput(
  out: StageOut,
  stage: Stage,
  declared: DeclaredStage,
  owners: OutputOwners,
  problems: Diagnostic[],
): void {
  const parts = out.path.split("/");
  let clash = owners.exact.get(out.path) ?? owners.below.get(out.path);
  for (let i = 1; !clash && i < parts.length; i++) clash = owners.exact.get(parts.slice(0, i).join("/"));
  if (clash) {
    problems.push({
      reason: "duplicate-output",
      message: at(declared.location, `stage ${stage.id}: output ${out.path} is also written by ${clash.stage} (${clash.location.file}:${clash.location.line})`),
      stage: stage.id,
      location: declared.location,
    });
    return;
  }
  const owner = { stage: stage.id, location: declared.location };
  owners.exact.set(out.path, owner);
  for (let i = 1; i < parts.length; i++) owners.below.set(parts.slice(0, i).join("/"), owner);
}

/** Claimed output paths, and every folder that holds one. */
interface OutputOwners {
  readonly exact: Map<string, { stage: StageId; location: DeclaredStage["location"] }>;
  readonly below: Map<string, { stage: StageId; location: DeclaredStage["location"] }>;
}

function at(location: DeclaredStage["location"], message: string): string {
  return `${location.file}:${location.line}: ${message}`;
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
