"""Bag of n-grams over the most frequent training terms (featurize.max_features, featurize.ngrams)."""
import os
import sys
from collections import Counter

import numpy as np
import yaml

params = yaml.safe_load(open("params.yaml"))["featurize"]
in_dir, out_dir = sys.argv[1], sys.argv[2]


def read(name):
    with open(os.path.join(in_dir, name), encoding="utf-8") as f:
        rows = [line.split("\t") for line in f.read().splitlines()[1:]]
    return [int(label) for _, label, _ in rows], [text.split() for _, _, text in rows]


def terms(words):
    return [" ".join(words[i : i + n]) for n in range(1, params["ngrams"] + 1) for i in range(len(words) - n + 1)]


train_labels, train_texts = read("train.tsv")
test_labels, test_texts = read("test.tsv")
counts = Counter(t for words in train_texts for t in terms(words))
vocabulary = {t: i for i, (t, _) in enumerate(sorted(counts.items(), key=lambda c: (-c[1], c[0]))[: params["max_features"]])}


def matrix(labels, texts):
    x = np.zeros((len(texts), len(vocabulary) + 1))
    for row, words in enumerate(texts):
        for t in terms(words):
            if t in vocabulary:
                x[row, vocabulary[t]] += 1
    x[:, :-1] = np.log1p(x[:, :-1])
    x[:, -1] = labels  # the label rides in the last column
    return x


os.makedirs(out_dir, exist_ok=True)
np.save(os.path.join(out_dir, "train.npy"), matrix(train_labels, train_texts))
np.save(os.path.join(out_dir, "test.npy"), matrix(test_labels, test_texts))
print(f"{len(vocabulary)} features")
