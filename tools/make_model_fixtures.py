#!/usr/bin/python3
"""Writes tests/data/kind_*.json: one small, real model per node kind of the model graph
(models/FORMAT.md), fitted by scikit-learn 1.2 / xgboost 1.7 on a few rows of the GTZAN feature
table, exported by tools/sonotype_export.py with scikit-learn's own predict_proba on held-out
rows as the golden values that the C++ parity test (tests/unit/model_parity_test.cpp) compares
with, to 1e-5 and the same labels.

    /usr/bin/python3 tools/make_model_fixtures.py [path/to/features_30_sec.csv]

Deterministic (fixed seeds); rerun when the interchange format changes.
"""
import json
import pathlib
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import (ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier,
                              StackingClassifier, VotingClassifier)
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectKBest, VarianceThreshold
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, PowerTransformer, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from xgboost import XGBClassifier

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from sonotype_export import interchange, signed_log1p  # noqa: E402
from train import PIPELINE, kruskal_scores  # noqa: E402  (the recipes' own)

DEFAULT_CSV = ROOT.parent / "shared/data/gtzan/features_30_sec.csv"
TRAIN_PER_CLASS, GOLDEN_ROWS = 10, 30
SEED = 0


def fixtures(log_columns):
    log = ("log", FunctionTransformer(signed_log1p, kw_args={"columns": log_columns}))
    scale = ("scale", StandardScaler())
    def chain(*steps):
        return Pipeline(list(steps))
    return {
        "kind_knn": chain(log, scale, ("knn", KNeighborsClassifier(n_neighbors=4, weights="distance", p=1))),
        "kind_svc_rbf": chain(scale, ("svm", SVC(kernel="rbf", C=10, probability=True, random_state=SEED))),
        "kind_mlp": chain(log, ("yj", PowerTransformer(standardize=True)),
                          ("mlp", MLPClassifier((12, 8), max_iter=500, random_state=SEED))),
        "kind_logistic": chain(log, scale, ("lr", LogisticRegression(C=0.3, max_iter=2000))),
        "kind_gaussian_nb": chain(log, scale, ("nb", GaussianNB())),
        "kind_decision_tree": chain(("dt", DecisionTreeClassifier(max_depth=6, random_state=SEED))),
        "kind_random_forest": chain(scale, ("rf", RandomForestClassifier(30, max_depth=20, min_samples_split=5, min_samples_leaf=2,
                                                                         class_weight="balanced", random_state=SEED))),
        "kind_extra_trees": chain(log, ("et", ExtraTreesClassifier(30, min_samples_leaf=2, class_weight="balanced", random_state=SEED))),
        "kind_hist_gradient_boosting": chain(scale, ("pca", PCA(12, random_state=SEED)),
                                             ("hgb", HistGradientBoostingClassifier(max_iter=8, max_leaf_nodes=6, random_state=SEED))),
        "kind_xgboost": chain(scale, ("pca", PCA(12, random_state=SEED)),
                              ("xgb", XGBClassifier(n_estimators=8, max_depth=3, learning_rate=0.3, n_jobs=1, random_state=SEED))),
        "kind_selection_voting": chain(
            log, ("variance", VarianceThreshold(1e-3)), ("kbest", SelectKBest(kruskal_scores, k=30)), scale,
            ("vote", VotingClassifier([("lr", LogisticRegression(max_iter=2000)),
                                       ("rf", RandomForestClassifier(10, random_state=SEED)),
                                       ("nb", GaussianNB())], voting="soft", weights=[2, 1, 0.5]))),
        "kind_stacking": chain(log, scale, ("stack", StackingClassifier(
            [("knn", KNeighborsClassifier(3)), ("svm", SVC(probability=True, random_state=SEED)),
             ("pcatree", Pipeline([("pca", PCA(8, random_state=SEED)), ("dt", DecisionTreeClassifier(max_depth=4, random_state=SEED))]))],
            final_estimator=LogisticRegression(C=0.5, max_iter=2000), passthrough=True, cv=3))),
    }


def main():
    warnings.filterwarnings("ignore")
    table = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV)
    features = list(table.columns[2:-1])
    labels, y = np.unique(table["label"].to_numpy(str), return_inverse=True)
    X = table[features].to_numpy(np.float64)
    rng = np.random.default_rng(SEED)
    train = np.concatenate([rng.choice(np.flatnonzero(y == c), TRAIN_PER_CLASS, replace=False) for c in range(len(labels))])
    rest = np.setdiff1d(np.arange(len(y)), train)
    golden = np.concatenate([rng.choice(rest, GOLDEN_ROWS - 4, replace=False), train[:4]])  # a few training rows too
    log_columns = [i for i, name in enumerate(features) if name.endswith("_var")]
    for name, model in fixtures(log_columns).items():
        model.fit(X[train], y[train])
        doc = interchange(model, labels, features, PIPELINE, X[golden])
        path = ROOT / "tests/data" / f"{name}.json"
        path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
