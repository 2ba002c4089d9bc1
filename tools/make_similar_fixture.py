#!/usr/bin/python3
"""Writes tests/data/similar_gtzan.json: scikit-learn's answer to "more like this" for the default
model, the independent truth for core/model/similar.h.

Twenty "songs" of two windows each (40 rows of the Kaggle 30-s table, two genres' worth per song
pair) are scaled by the model's own transform steps, rebuilt as scikit-learn objects from
models/gtzan.json with their float64 parameters, as the .sono blob stores them
(FunctionTransformer-style signed_log1p, PowerTransformer(yeo-johnson) with the fitted lambdas,
StandardScaler with the fitted mean and scale). A song's point is the mean of its windows' scaled
rows; sklearn.neighbors.NearestNeighbors then gives each query song's nearest songs.

    /usr/bin/python3 tools/make_similar_fixture.py [path/to/features_30_sec.csv]
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import PowerTransformer, StandardScaler

ROOT = pathlib.Path(__file__).resolve().parents[1]
CSV = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/gtzan/features_30_sec.csv"
N_SONGS, NEIGHBOURS, QUERIES = 20, 5, [0, 7, 13]


def steps(model):
    """The root pipeline's transform steps (models/interchange.md): a version-3 graph's, or the
    signed_log1p, Yeo-Johnson and scaler of a version-2 stack."""
    if "graph" in model:
        nodes = model["graph"]["nodes"]
        return [nodes[name] for name in nodes[model["graph"]["root"]]["steps"]]
    return [{"kind": "signed_log1p", "columns": model["transform"]["signed_log1p"]},
            {"kind": "yeo_johnson", "lambdas": model["transform"]["yeo_johnson"]},
            {"kind": "standard_scaler", "mean": model["scaler"]["mean"], "scale": model["scaler"]["scale"]}]


def main():
    model = json.loads((ROOT / "models/gtzan.json").read_text())
    table = pd.read_csv(CSV)
    rows = table.iloc[np.arange(2 * N_SONGS) * 25][model["feature_names"]].to_numpy(np.float64)

    X = rows.copy()
    for step in steps(model):
        if step["kind"] == "signed_log1p":
            cols = step["columns"]
            X[:, cols] = np.sign(X[:, cols]) * np.log1p(np.abs(X[:, cols]))
        elif step["kind"] == "yeo_johnson":
            power = PowerTransformer(method="yeo-johnson", standardize=False)
            power.lambdas_ = np.asarray(step["lambdas"], np.float64)
            X = power.transform(X)
        elif step["kind"] == "standard_scaler":
            scaler = StandardScaler()
            scaler.mean_, scaler.scale_ = np.asarray(step["mean"], np.float64), np.asarray(step["scale"], np.float64)
            scaler.n_features_in_ = X.shape[1]
            X = scaler.transform(X)
        else:
            sys.exit(f"make_similar_fixture: a {step['kind']} step is not one this fixture rebuilds")

    points = X.reshape(N_SONGS, 2, -1).mean(axis=1)
    nn = NearestNeighbors(n_neighbors=NEIGHBOURS + 1).fit(points)
    distances, indices = nn.kneighbors(points[QUERIES])
    queries = []
    for q, d, i in zip(QUERIES, distances, indices):
        keep = i != q  # the query itself, at distance 0, is not "like" itself
        queries.append({"song": q, "neighbours": i[keep][:NEIGHBOURS].tolist(),
                        "distances": d[keep][:NEIGHBOURS].tolist()})
    out = {"about": "tools/make_similar_fixture.py: scikit-learn NearestNeighbors on models/gtzan.json's scaled rows",
           "rows": rows.tolist(), "windows_per_song": 2, "points": points.tolist(), "queries": queries}
    (ROOT / "tests/data/similar_gtzan.json").write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
