"""Splits the raw posts into a train and a test set (prepare.split, prepare.seed)."""
import os
import sys

import numpy as np
import yaml

params = yaml.safe_load(open("params.yaml"))["prepare"]
source, out_dir = sys.argv[1], sys.argv[2]

with open(source, encoding="utf-8") as f:
    header, *rows = f.read().splitlines()

rng = np.random.default_rng(params["seed"])
is_test = rng.random(len(rows)) < params["split"]

os.makedirs(out_dir, exist_ok=True)
for name, keep in (("train.tsv", ~is_test), ("test.tsv", is_test)):
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
        f.write("\n".join([header] + [row for row, k in zip(rows, keep) if k]) + "\n")
print(f"prepared {int((~is_test).sum())} train and {int(is_test.sum())} test rows")
