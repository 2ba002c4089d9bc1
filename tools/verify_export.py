"""Recomputes an interchange file's golden outputs from its numbers alone, in plain numpy.

    /usr/bin/python3 tools/verify_export.py [models/gtzan.json ...]

This is the arithmetic the C++ port mirrors (models/interchange.md). If it reproduces
scikit-learn's golden probabilities (to TOLERANCE) and labels, the file holds every fitted
parameter with the right sign conventions. tools/train.py runs check() before writing a model.
"""
import json
import sys
from pathlib import Path

import numpy as np

TOLERANCE = 1e-6
MIN_PROB = 1e-7  # libsvm clips each pairwise Platt probability to [MIN_PROB, 1 - MIN_PROB]


def yeo_johnson(x, lmbda):
    """The Yeo-Johnson transform of a column, written out from its definition (Yeo & Johnson 2000)."""
    pos = x >= 0
    out = np.empty_like(x)
    out[pos] = np.log1p(x[pos]) if lmbda == 0 else ((x[pos] + 1) ** lmbda - 1) / lmbda
    out[~pos] = -np.log1p(-x[~pos]) if lmbda == 2 else -((1 - x[~pos]) ** (2 - lmbda) - 1) / (2 - lmbda)
    return out


def preprocess(doc, X):
    """signed_log1p on the listed columns, Yeo-Johnson (version 2, when listed), then the StandardScaler."""
    X = np.array(X, dtype=np.float64)
    cols = doc["transform"]["signed_log1p"]
    X[:, cols] = np.sign(X[:, cols]) * np.log1p(np.abs(X[:, cols]))
    for c, lmbda in enumerate(doc["transform"].get("yeo_johnson", [])):
        X[:, c] = yeo_johnson(X[:, c], lmbda)
    return (X - np.array(doc["scaler"]["mean"])) / np.array(doc["scaler"]["scale"])


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def knn_proba(est, Z, k):
    """Minkowski distances to every fit row; the n_neighbors nearest (ties: lower row first) vote.

    With distance weights a neighbour weighs 1/d, except that when any neighbour is at distance
    0 exactly, those neighbours alone vote, with weight 1 each (scikit-learn's rule).
    """
    fit_X, fit_y = np.array(est["fit_X"]), np.array(est["fit_y"])
    diff = np.abs(Z[:, None, :] - fit_X[None, :, :])
    dist = diff.sum(axis=2) if est["p"] == 1 else np.sqrt((diff ** 2).sum(axis=2))
    out = np.zeros((len(Z), k))
    for i, d in enumerate(dist):
        near = np.argsort(d, kind="stable")[:est["n_neighbors"]]
        if est["weights"] == "uniform":
            w = np.ones(len(near))
        else:
            w = (d[near] == 0).astype(float) if np.any(d[near] == 0) else 1 / d[near]
        np.add.at(out[i], fit_y[near], w)
    return out / out.sum(axis=1, keepdims=True)


def kernel(est, SV, Z):
    """libsvm's kernels, K[sv, query]."""
    g, c0, deg = est["gamma"], est["coef0"], est["degree"]
    dot = SV @ Z.T
    if est["kernel"] == "linear":
        return dot
    if est["kernel"] == "poly":
        return (g * dot + c0) ** deg
    if est["kernel"] == "sigmoid":
        return np.tanh(g * dot + c0)
    sq = (SV ** 2).sum(axis=1)[:, None] - 2 * dot + (Z ** 2).sum(axis=1)[None, :]
    return np.exp(-g * sq)


def platt(dec, A, B):
    """libsvm's sigmoid_predict: 1 / (1 + exp(dec*A + B)), in its overflow-safe form."""
    f = dec * A + B
    return np.exp(-f) / (1 + np.exp(-f)) if f >= 0 else 1 / (1 + np.exp(f))


def multiclass_probability(r):
    """libsvm's pairwise coupling (Wu, Lin and Weng 2004, method 2), step for step."""
    k = len(r)
    Q = -r.T * r
    np.fill_diagonal(Q, (r ** 2).sum(axis=0) - np.diag(r) ** 2)
    p = np.full(k, 1 / k)
    for _ in range(max(100, k)):
        Qp = Q @ p
        pQp = p @ Qp
        if np.max(np.abs(Qp - pQp)) < 0.005 / k:
            break
        for t in range(k):
            diff = (-Qp[t] + pQp) / Q[t, t]
            p[t] += diff
            pQp = (pQp + diff * (diff * Q[t, t] + 2 * Qp[t])) / (1 + diff) / (1 + diff)
            Qp = (Qp + diff * Q[t]) / (1 + diff)
            p /= 1 + diff
    return p


def svc_proba(est, Z, k):
    """One-vs-one decision values sum(sv_coef * K) - rho per class pair (libsvm's order), Platt
    probabilities per pair, coupled into k class probabilities."""
    SV = np.array(est["support_vectors"])
    coef, rho = np.array(est["dual_coef"]), np.array(est["rho"])
    A, B = est["probA"], est["probB"]
    start = np.concatenate([[0], np.cumsum(est["n_support"])])
    K = kernel(est, SV, Z)
    out = np.zeros((len(Z), k))
    for q in range(len(Z)):
        r = np.zeros((k, k))
        pair = 0
        for i in range(k):
            for j in range(i + 1, k):
                si, sj = slice(start[i], start[i + 1]), slice(start[j], start[j + 1])
                dec = coef[j - 1, si] @ K[si, q] + coef[i, sj] @ K[sj, q] - rho[pair]
                r[i, j] = min(max(platt(dec, A[pair], B[pair]), MIN_PROB), 1 - MIN_PROB)
                r[j, i] = 1 - r[i, j]
                pair += 1
        out[q] = multiclass_probability(r)
    return out


def mlp_proba(est, Z):
    """ReLU hidden layers, softmax output."""
    h = Z
    layers = list(zip(est["coefs"], est["intercepts"]))
    for W, b in layers[:-1]:
        h = np.maximum(h @ np.array(W) + np.array(b), 0)
    W, b = layers[-1]
    return softmax(h @ np.array(W) + np.array(b))


def predict(doc, X):
    """(ensemble probabilities, {estimator name: its probabilities}) for raw feature rows X."""
    k = len(doc["labels"])
    Z = preprocess(doc, X)
    base = {}
    for name in doc["stack"]["order"]:
        est = doc["estimators"][name]
        base[name] = {"knn": lambda: knn_proba(est, Z, k), "svc": lambda: svc_proba(est, Z, k),
                      "mlp": lambda: mlp_proba(est, Z)}[est["kind"]]()
    meta = np.hstack([base[name] for name in doc["stack"]["order"]] + ([Z] if doc["stack"]["passthrough"] else []))
    final = doc["stack"]["final"]
    return softmax(meta @ np.array(final["coef"]).T + np.array(final["intercept"])), base


def check(doc):
    """Raises AssertionError unless the numpy predictions match the golden ones; returns max deltas."""
    svm = doc["estimators"]["svm"]
    if svm["support"] is not None:
        assert np.array_equal(np.array(svm["support_vectors"]), np.array(doc["estimators"]["knn"]["fit_X"])[svm["support"]]), \
            "svm.support does not select svm.support_vectors from knn.fit_X"
    golden = doc["golden"]
    proba, base = predict(doc, golden["X"])
    deltas = {"stack": np.max(np.abs(proba - golden["proba"]))}
    deltas |= {name: np.max(np.abs(p - golden["base_proba"][name])) for name, p in base.items()}
    same = np.sum(np.argmax(proba, axis=1) == golden["label"])
    print(f"verify: {len(proba)} golden rows, labels agree {same}/{len(proba)}, max |dp| "
          + ", ".join(f"{name} {d:.2e}" for name, d in deltas.items()), file=sys.stderr)
    assert same == len(proba) and max(deltas.values()) <= TOLERANCE, "numpy re-implementation disagrees with scikit-learn"
    return deltas


def main():
    paths = sys.argv[1:] or [Path(__file__).resolve().parent.parent / "models" / "gtzan.json"]
    for path in paths:
        print(path, file=sys.stderr)
        check(json.loads(Path(path).read_text()))


if __name__ == "__main__":
    main()
