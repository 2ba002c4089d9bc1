#!/usr/bin/python3
"""Writes the small interchange files (models/interchange.md) that the C++ model tests use.

Each fixture is a real scikit-learn stacking ensemble (signed_log1p -> StandardScaler ->
StackingClassifier(knn, svm, mlp; passthrough) -> multinomial LogisticRegression) fitted on a
few rows of the GTZAN feature table, with scikit-learn's own outputs on held-out rows (and a few
training rows, where KNN sees a zero distance) as golden values. The variants cover every
kernel, both KNN weightings and both Minkowski powers that the C++ side implements.

To keep the committed files small, the inputs and every fitted parameter are rounded to 9
significant digits (more than float32 holds) after fitting; the golden values are computed by
scikit-learn from the rounded model, so they remain scikit-learn's answers for what is written.

    /usr/bin/python3 tests/data/make_tiny_model.py [path/to/features_30_sec.csv]

Deterministic (fixed seeds); rerun only when the interchange format changes.
"""
import json
import pathlib
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.svm import SVC

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_CSV = HERE.parents[2] / "shared/data/gtzan/features_30_sec.csv"

# name -> (training rows per class, golden rows, knn params, svc params, mlp hidden layers, log columns?)
VARIANTS = {
    "tiny_model": (8, 24, dict(n_neighbors=5, weights="distance", p=2),
                   dict(kernel="rbf", C=10.0, gamma="scale"), (16,), True),
    "tiny_poly": (4, 10, dict(n_neighbors=3, weights="uniform", p=1),
                  dict(kernel="poly", C=1.0, gamma="scale", degree=3, coef0=0.5), (12, 8), False),
    "tiny_sigmoid": (4, 10, dict(n_neighbors=4, weights="distance", p=1),
                     dict(kernel="sigmoid", C=1.0, gamma=0.01, coef0=-0.2), (10,), True),
    "tiny_linear": (4, 10, dict(n_neighbors=7, weights="uniform", p=2),
                    dict(kernel="linear", C=0.1), (10,), False),
}
TRAINING_ROWS_IN_GOLDEN = 4


def signed_log1p_columns(feature_names):
    """The variance columns: heavy-tailed, so they are compressed before scaling."""
    return [i for i, name in enumerate(feature_names) if name.endswith("_var")]


def make_signed_log1p(columns):
    def transform(X):
        X = np.array(X, dtype=np.float64, copy=True)
        X[:, columns] = np.sign(X[:, columns]) * np.log1p(np.abs(X[:, columns]))
        return X
    return FunctionTransformer(transform)


def round9(a):
    """`a` rounded to 9 significant digits, so that JSON needs at most 9 digits per number."""
    a = np.asarray(a, dtype=np.float64)
    return np.array([float(f"{v:.9g}") for v in a.ravel()]).reshape(a.shape)


def round_fitted_parameters(scaler, knn, svm, mlp, final):
    """Rounds what the interchange file holds, in place, keeping SVM support vectors = KNN rows."""
    scaler.mean_, scaler.scale_ = round9(scaler.mean_), round9(scaler.scale_)
    knn._fit_X = round9(knn._fit_X)
    svm.support_vectors_ = knn._fit_X[svm.support_]
    svm._dual_coef_, svm._intercept_ = round9(svm._dual_coef_), round9(svm._intercept_)
    svm._probA, svm._probB = round9(svm._probA), round9(svm._probB)
    mlp.coefs_ = [round9(w) for w in mlp.coefs_]
    mlp.intercepts_ = [round9(b) for b in mlp.intercepts_]
    final.coef_, final.intercept_ = round9(final.coef_), round9(final.intercept_)


def rows(a):
    return np.asarray(a, dtype=np.float64).tolist()


def build(name, table, feature_names):
    per_class, n_golden, knn_params, svc_params, hidden, use_log = VARIANTS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    train_idx = np.concatenate([
        rng.choice(np.flatnonzero(table["label"] == genre), per_class, replace=False)
        for genre in sorted(table["label"].unique())])
    held_out = np.setdiff1d(np.arange(len(table)), train_idx)
    golden_idx = np.concatenate([rng.choice(held_out, n_golden - TRAINING_ROWS_IN_GOLDEN, replace=False),
                                 train_idx[:TRAINING_ROWS_IN_GOLDEN]])
    X = round9(table[feature_names].to_numpy(np.float64))
    y = table["label"].to_numpy()

    log_columns = signed_log1p_columns(feature_names) if use_log else []
    stack = StackingClassifier(
        estimators=[("knn", KNeighborsClassifier(**knn_params)),
                    ("svm", SVC(probability=True, random_state=0, **svc_params)),
                    ("mlp", MLPClassifier(hidden_layer_sizes=hidden, max_iter=2000, random_state=0))],
        final_estimator=LogisticRegression(max_iter=5000), passthrough=True, cv=3)
    model = Pipeline([("log", make_signed_log1p(log_columns)), ("scale", StandardScaler()),
                      ("stack", stack)])
    model.fit(X[train_idx], y[train_idx])

    scaler = model.named_steps["scale"]
    knn, svm, mlp = stack.estimators_
    final = stack.final_estimator_
    round_fitted_parameters(scaler, knn, svm, mlp, final)
    assert final.coef_.shape[0] == len(stack.classes_), "final estimator must be multinomial"
    Xg = X[golden_idx]
    Zg = model[:-1].transform(Xg)
    proba = model.predict_proba(Xg)
    fit_X = knn._fit_X
    return {
        "format": "sonotype-interchange", "version": 1,
        "labels": [str(c) for c in stack.classes_],
        "feature_names": feature_names,
        "pipeline": {"sample_rate": 22050, "n_fft": 2048, "hop_length": 512, "window_seconds": 30.0},
        "transform": {"signed_log1p": log_columns},
        "scaler": {"mean": rows(scaler.mean_), "scale": rows(scaler.scale_)},
        "estimators": {
            "knn": {"kind": "knn", "n_neighbors": knn.n_neighbors, "weights": knn.weights, "p": knn.p,
                    "fit_X": rows(fit_X), "fit_y": knn._y.astype(int).tolist()},
            "svm": {"kind": "svc", "kernel": svm.kernel, "gamma": float(svm._gamma),
                    "coef0": float(svm.coef0), "degree": int(svm.degree),
                    "support": svm.support_.astype(int).tolist(),
                    "support_vectors": rows(svm.support_vectors_),
                    "n_support": svm.n_support_.astype(int).tolist(),
                    "dual_coef": rows(svm._dual_coef_), "rho": rows(-svm._intercept_),
                    "probA": rows(svm.probA_), "probB": rows(svm.probB_)},
            "mlp": {"kind": "mlp", "activation": mlp.activation,
                    "coefs": [rows(w) for w in mlp.coefs_],
                    "intercepts": [rows(b) for b in mlp.intercepts_]},
        },
        "stack": {"order": ["knn", "svm", "mlp"], "passthrough": True,
                  "final": {"kind": "logistic", "coef": rows(final.coef_),
                            "intercept": rows(final.intercept_)}},
        "golden": {"X": rows(Xg), "proba": rows(proba), "label": np.argmax(proba, axis=1).tolist(),
                   "base_proba": {"knn": rows(knn.predict_proba(Zg)), "svm": rows(svm.predict_proba(Zg)),
                                  "mlp": rows(mlp.predict_proba(Zg))}},
    }


def main():
    csv = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CSV
    table = pd.read_csv(csv)
    warnings.filterwarnings("ignore", message=".*Stochastic Optimizer: Maximum iterations.*")
    feature_names = list(table.columns[2:-1])
    assert len(feature_names) == 57
    for name in VARIANTS:
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(build(name, table, feature_names), separators=(",", ":")) + "\n")
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
