/**
 * DVC's example-get-started pipeline (prepare -> featurize -> train ->
 * evaluate) as sluice stages. The Python scripts are the DVC ones' shape:
 * each opens params.yaml itself and finds there exactly the keys its stage
 * names in `paramsFiles`, so editing any other key reruns nothing. The
 * evaluate stage's metrics file and precision-recall curve lie inside its
 * `eval` folder, as DVC's do.
 */
import { defineProject, dir, file, metrics, paramsFrom, plots, source } from "sluice";

export default defineProject("getstarted", (p) => {
  const prepare = p.stage("prepare", {
    deps: { script: source("src/prepare.py"), data: source("data/data.tsv") },
    paramsFiles: [paramsFrom("params.yaml", ["prepare.seed", "prepare.split"])],
    outs: { prepared: dir("data/prepared") },
    cmd: "python3 {deps.script} {deps.data} {outs.prepared}",
  });
  const featurize = p.stage("featurize", {
    deps: { script: source("src/featurize.py"), prepared: prepare.outs.prepared },
    paramsFiles: [paramsFrom("params.yaml", ["featurize.max_features", "featurize.ngrams"])],
    outs: { features: dir("data/features") },
    cmd: "python3 {deps.script} {deps.prepared} {outs.features}",
  });
  const train = p.stage("train", {
    deps: { script: source("src/train.py"), features: featurize.outs.features },
    paramsFiles: [paramsFrom("params.yaml", ["train.epochs", "train.lr", "train.seed"])],
    outs: { model: file("model.npy") },
    cmd: "python3 {deps.script} {deps.features}/train.npy {outs.model}",
  });
  p.stage("evaluate", {
    deps: { script: source("src/evaluate.py"), model: train.outs.model, features: featurize.outs.features },
    outs: {
      eval: dir("eval"),
      metrics: metrics("eval/metrics.json"),
      prc: plots("eval/prc.json", { x: "recall", y: "precision", title: "Precision-recall curve (test set)" }),
    },
    cmd: "python3 {deps.script} {deps.model} {deps.features}/test.npy {outs.eval}",
  });
});
