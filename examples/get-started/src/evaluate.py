"""Scores the test set: metrics (eval/metrics.json) and the precision-recall curve (eval/prc.json)."""
import json
import os
import sys

import numpy as np

model_path, features, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]

with open(model_path, "rb") as f:
    weights = np.load(f)
data = np.load(features)
x, y = data[:, :-1], data[:, -1]
scores = 1 / (1 + np.exp(-(x @ weights[:-1] + weights[-1])))

order = np.argsort(-scores, kind="stable")
hits = y[order]
precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
recall = np.cumsum(hits) / max(hits.sum(), 1)
avg_prec = float(np.sum(precision * hits) / max(hits.sum(), 1))
# ROC AUC as the chance that a positive outscores a negative.
pos, neg = scores[y == 1], scores[y == 0]
roc_auc = float(np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))) if len(pos) and len(neg) else 0.0
accuracy = float(np.mean((scores >= 0.5) == (y == 1)))

os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "metrics.json"), "w") as f:
    json.dump({"avg_prec": round(avg_prec, 4), "roc_auc": round(roc_auc, 4), "accuracy": round(accuracy, 4)}, f, indent=2)
with open(os.path.join(out_dir, "prc.json"), "w") as f:
    json.dump({"prc": [{"precision": round(float(p), 4), "recall": round(float(r), 4)} for p, r in zip(precision, recall)]}, f)
print(f"avg_prec {avg_prec:.4f}  roc_auc {roc_auc:.4f}")
