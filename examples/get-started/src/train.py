"""Logistic regression by full-batch gradient descent (train.seed, train.epochs, train.lr)."""
import sys

import numpy as np
import yaml

params = yaml.safe_load(open("params.yaml"))["train"]
features, model_path = sys.argv[1], sys.argv[2]

data = np.load(features)
x, y = data[:, :-1], data[:, -1]
rng = np.random.default_rng(params["seed"])
w = rng.normal(0, 0.01, x.shape[1])
b = 0.0
for _ in range(params["epochs"]):
    p = 1 / (1 + np.exp(-(x @ w + b)))
    w -= params["lr"] * x.T @ (p - y) / len(y)
    b -= params["lr"] * float(np.mean(p - y))

with open(model_path, "wb") as f:
    np.save(f, np.append(w, b))
print(f"trained on {len(y)} rows")
