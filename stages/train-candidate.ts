/**
 * Stage factory: `train` — fits a candidate model. Outputs the model file
 * (the trained weights, content-addressed by the engine), the action policy
 * released with it, and a training summary with the loss curve.
 */
import { file, json } from "sluice";
import type { DepsDecl, FileOutDecl, JsonOutDecl, ParamsDecl, ProjectBuilder, RunContext, StageHandle } from "sluice";
import { ActionPolicySchema, TrainingSummarySchema, type ActionPolicy, type TrainingSummary } from "./lib/schemas.js";

/** The outputs every train stage declares. */
export type TrainOuts = {
  readonly model: FileOutDecl;
  readonly policy: JsonOutDecl<typeof ActionPolicySchema>;
  readonly training: JsonOutDecl<typeof TrainingSummarySchema>;
};

/** Options of {@link trainCandidate}. */
export interface TrainCandidateOptions<D extends DepsDecl, P extends ParamsDecl> {
  /** Stage name; default `train`. */
  readonly name?: string;
  readonly description?: string;
  /** Project-relative path of the model file (`model/delay_model.json`). */
  readonly modelPath: string;
  /** The feature table and the validation gates (train refuses failed gates). */
  readonly deps: D;
  readonly params: P;
  readonly run: (ctx: RunContext<D, P, TrainOuts>) => { policy: ActionPolicy; training: TrainingSummary } | Promise<{ policy: ActionPolicy; training: TrainingSummary }>;
}

/** Declares the training stage. */
export function trainCandidate<const D extends DepsDecl, const P extends ParamsDecl>(
  p: ProjectBuilder,
  options: TrainCandidateOptions<D, P>,
): StageHandle<TrainOuts> {
  return p.stage(options.name ?? "train", {
    description: options.description ?? "train the candidate model and choose its action policy",
    deps: options.deps,
    params: options.params,
    outs: {
      model: file(options.modelPath),
      policy: json(ActionPolicySchema),
      training: json(TrainingSummarySchema),
    },
    run: options.run as never,
  }) as StageHandle<TrainOuts>;
}
