/**
 * In-process drivers of each project's stage functions on small data: build
 * a snapshot and its features in a temp folder, validate, train. Tests use
 * them for determinism, loss curves and the validation failure modes, where
 * the CLI's process and cache overhead would buy nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Gate } from "../../stages/lib/gate.js";
import type { ActionPolicy, TrainingSummary } from "../../stages/lib/schemas.js";
import { REPO } from "../rig.js";
import { buildEtaFeatures } from "../../projects/eta/build-features.js";
import { generateEtaEvents } from "../../projects/eta/generate-events.js";
import { trainDelayModel } from "../../projects/eta/train-delay-model.js";
import { validateEtaSnapshot } from "../../projects/eta/validate-eta-snapshot.js";
import { buildLagFeatures } from "../../projects/forecast/build-lag-features.js";
import { generateCounts } from "../../projects/forecast/generate-counts.js";
import { trainDemandModel } from "../../projects/forecast/train-demand-model.js";
import { validateCounts } from "../../projects/forecast/validate-counts.js";
import { buildRankingFeatures } from "../../projects/ranking/build-ranking-features.js";
import { generateCatalog } from "../../projects/ranking/generate-catalog.js";
import { trainRanker } from "../../projects/ranking/train-ranker.js";
import { validateRankingSnapshot } from "../../projects/ranking/validate-ranking-snapshot.js";
import { buildPhotoFeatures, type PixelNorm } from "../../projects/vision/build-photo-features.js";
import { generatePhotos } from "../../projects/vision/generate-photos.js";
import { trainDamageCnn } from "../../projects/vision/train-damage-cnn.js";
import { validatePhotos } from "../../projects/vision/validate-photos.js";

/** Params sections of a project, as in its params.json. */
export type Sections = Record<string, Record<string, unknown>>;

/** A built small snapshot: the files by dep name, plus anything train needs beyond them. */
export interface Built {
  readonly dir: string;
  readonly files: Record<string, string>;
  readonly extra: Record<string, unknown>;
}

/** What a test can do with one project. */
export interface ProjectAdapter {
  readonly name: string;
  /** Snapshot + features into a fresh temp folder. */
  build(params: Sections): Built;
  validate(built: Built, params: Sections): Record<string, Gate>;
  /** Runs the train stage function with the given gates as deps (throws when they failed). */
  train(built: Built, params: Sections, gates: Record<string, Gate>): Promise<{ policy: ActionPolicy; training: TrainingSummary; model: string }>;
}

/** The project's params.json with the sections in `overrides` merged over it. */
export function paramsOf(project: string, overrides: Sections = {}): Sections {
  const base = JSON.parse(readFileSync(join(REPO, "projects", project, "params.json"), "utf8")) as Sections;
  const out: Sections = {};
  for (const k of new Set([...Object.keys(base), ...Object.keys(overrides)])) out[k] = { ...base[k], ...overrides[k] };
  return out;
}

const log = (): void => {};
const temp = (name: string): string => mkdtempSync(join(tmpdir(), `sluice-${name}-`));
// Stage functions are typed for the engine's context; the tests hand them plain objects of the same shape.
const ctx = (deps: unknown, params: unknown, outs: Record<string, string>): never => ({ deps, params, outs, log }) as never;

const eta: ProjectAdapter = {
  name: "eta",
  build(p) {
    const dir = temp("eta");
    const files = { shipments: join(dir, "shipments.csv"), scans: join(dir, "scans.csv"), features: join(dir, "features.csv") };
    generateEtaEvents(ctx({}, p["snapshot"], { shipments: files.shipments, scans: files.scans }));
    buildEtaFeatures(ctx({ shipments: files.shipments, scans: files.scans }, p["features"], { table: files.features }));
    return { dir, files, extra: {} };
  },
  validate: (b, p) => validateEtaSnapshot(ctx(b.files, { cutoff: p["snapshot"]?.["cutoff"], ...p["validate"] }, {})),
  async train(b, p, gates) {
    const model = join(b.dir, "model.json");
    return { ...trainDelayModel(ctx({ table: b.files["features"], ...gates }, p["train"], { model })), model };
  },
};

const ranking: ProjectAdapter = {
  name: "ranking",
  build(p) {
    const dir = temp("ranking");
    const files = { listings: join(dir, "listings.csv"), queries: join(dir, "queries.csv"), judgments: join(dir, "judgments.csv"), features: join(dir, "features.csv") };
    generateCatalog(ctx({}, p["snapshot"], files));
    buildRankingFeatures(ctx(files, p["features"], { table: files.features }));
    return { dir, files, extra: {} };
  },
  validate: (b, p) => validateRankingSnapshot(ctx(b.files, { cutoff: p["snapshot"]?.["cutoff"], ...p["validate"] }, {})),
  async train(b, p, gates) {
    const model = join(b.dir, "model.json");
    return { ...trainRanker(ctx({ table: b.files["features"], ...gates }, { ...p["train"], ...p["policy"] }, { model })), model };
  },
};

const forecast: ProjectAdapter = {
  name: "forecast",
  build(p) {
    const dir = temp("forecast");
    const files = { counts: join(dir, "counts.csv"), features: join(dir, "features.csv") };
    generateCounts(ctx({}, p["snapshot"], { counts: files.counts }));
    buildLagFeatures(ctx({ counts: files.counts }, p["features"], { table: files.features }));
    return { dir, files, extra: {} };
  },
  validate: (b, p) => validateCounts(ctx(b.files, { cutoff: p["snapshot"]?.["cutoff"], ...p["validate"] }, {})),
  async train(b, p, gates) {
    const model = join(b.dir, "model.json");
    return { ...trainDemandModel(ctx({ table: b.files["features"], ...gates }, p["train"], { model })), model };
  },
};

const vision: ProjectAdapter = {
  name: "vision",
  build(p) {
    const dir = temp("vision");
    const files = { manifest: join(dir, "photos.csv"), sheet: join(dir, "photos.ppm"), features: join(dir, "features.csv"), pixels: join(dir, "pixels.f32") };
    generatePhotos(ctx({}, p["snapshot"], { manifest: files.manifest, sheet: files.sheet }));
    const { norm } = buildPhotoFeatures(ctx({ manifest: files.manifest, sheet: files.sheet }, p["features"], { table: files.features, pixels: files.pixels }));
    return { dir, files, extra: { norm } };
  },
  validate: (b, p) => validatePhotos(ctx({ manifest: b.files["manifest"], features: b.files["features"], pixels: b.files["pixels"] }, { cutoff: p["snapshot"]?.["cutoff"], ...p["validate"] }, {})),
  async train(b, p, gates) {
    const model = join(b.dir, "model.json");
    const deps = { table: b.files["features"], pixels: b.files["pixels"], norm: b.extra["norm"] as PixelNorm, ...gates };
    const params = { ...p["train"], minBrightness: p["features"]?.["minBrightness"], minSharpness: p["features"]?.["minSharpness"] };
    return { ...(await trainDamageCnn(ctx(deps, params, { model }))), model };
  },
};

/** Removes a built snapshot's temp folder. */
export function disposeBuilt(built: Built): void {
  rmSync(built.dir, { recursive: true, force: true });
}

/** Every project's adapter, by name. */
export const ADAPTERS: Readonly<Record<string, ProjectAdapter>> = { eta, ranking, forecast, vision };
