#!/usr/bin/python3
"""scikit-learn's answer to what `sonotype train` cross-validates (core/model/train.h).

The same preprocessing (signed_log1p on the *_var columns, StandardScaler), the same estimators
(LogisticRegression(multi_class="multinomial", solver="lbfgs") run to convergence,
KNeighborsClassifier(weights="distance")), the same grids and the same folds
(StratifiedKFold(5) without shuffling, or LeaveOneOut when a genre has fewer than 10 songs and
there are at most 400 songs), scored by cross_val_predict's out-of-fold probabilities. Prints
one line per configuration and the chosen one, so that the C++ trainer's figures can be checked.

    /usr/bin/python3 tools/train_cv_reference.py FEATURES.csv [LABELS.csv]

FEATURES.csv is the output of `sonotype features` (its `label` column is the genre unless
LABELS.csv, with columns path,genre, names each file's genre by the file name of `path`).
The rows are used in the order of FEATURES.csv, as `sonotype train --from-features` uses them.
"""
import csv
import pathlib
import sys
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneOut, StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

C_VALUES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
K_VALUES = [1, 3, 5, 7, 10, 15, 20]
STRATIFIED_FOLDS = 5
MIN_SONGS_FOR_FOLDS = 10
MAX_LEAVE_ONE_OUT_SONGS = 400


def signed_log1p(X, columns):
    X = np.array(X, dtype=float)
    X[:, columns] = np.sign(X[:, columns]) * np.log1p(np.abs(X[:, columns]))
    return X


def pipeline(feature_names, estimator):
    columns = [i for i, name in enumerate(feature_names) if name.endswith("_var")]
    return Pipeline([("log", FunctionTransformer(signed_log1p, kw_args={"columns": columns})),
                     ("scale", StandardScaler()), ("model", estimator)])


def logistic(C):
    # The trainer minimises the objective to a gradient of 1e-7 or less; so must the reference.
    return LogisticRegression(C=C, multi_class="multinomial", solver="lbfgs", tol=1e-10, max_iter=100000)


def knn(k):
    return KNeighborsClassifier(n_neighbors=k, weights="distance", algorithm="brute")


def folds(y):
    counts = np.unique(y, return_counts=True)[1]
    if counts.min() < MIN_SONGS_FOR_FOLDS and len(y) <= MAX_LEAVE_ONE_OUT_SONGS:
        return LeaveOneOut(), "leave-one-out"
    return StratifiedKFold(STRATIFIED_FOLDS), f"{STRATIFIED_FOLDS}-fold stratified"


def cross_validate(X, y, feature_names):
    """[(description, kind, C, k, accuracy, out-of-fold probabilities)], the chosen one, the scheme."""
    cv, scheme = folds(y)
    classes = np.unique(y)
    smallest_train = min(len(train) for train, _ in cv.split(X, y))
    results = []

    def add(description, kind, C, k, proba):
        accuracy = float(np.mean(classes[np.argmax(proba, axis=1)] == y))
        results.append((description, kind, C, k, accuracy, proba))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for C in C_VALUES:
            proba = cross_val_predict(pipeline(feature_names, logistic(C)), X, y, cv=cv, method="predict_proba")
            add(f"logistic regression C={C:g}", "logistic", C, 0, proba)
        for k in K_VALUES:
            if k <= smallest_train:
                proba = cross_val_predict(pipeline(feature_names, knn(k)), X, y, cv=cv, method="predict_proba")
                add(f"distance-weighted KNN k={k}", "knn", 0, k, proba)

    def best(kind):
        return max((r for r in results if r[1] == kind), key=lambda r: r[4])  # max keeps the first

    lr, nn = best("logistic"), best("knn")
    add(f"average of logistic regression C={lr[2]:g} and KNN k={nn[3]}", "average", lr[2], nn[3], (lr[5] + nn[5]) / 2)
    return results, max(results, key=lambda r: r[4]), scheme


def read_features(path, labels_path=None):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    feature_names = [c for c in rows[0].keys() if c not in ("filename", "length", "label")]
    genre_of = None
    if labels_path:
        with open(labels_path, newline="") as f:
            genre_of = {pathlib.PurePath(r["path"]).name: r["genre"] for r in csv.DictReader(f)}
        rows = [r for r in rows if r["filename"] in genre_of]
    X = np.array([[float(r[c]) for c in feature_names] for r in rows])
    y = np.array([genre_of[r["filename"]] if genre_of else r["label"] for r in rows])
    return X, y, feature_names


def main():
    X, y, feature_names = read_features(*sys.argv[1:3])
    results, chosen, scheme = cross_validate(X, y, feature_names)
    print(f"{len(y)} songs, {len(np.unique(y))} genres, {scheme}")
    for description, *_, accuracy, _ in results:
        print(f"{description}: {accuracy:.6f}")
    print(f"chosen: {chosen[0]}: cv accuracy {chosen[4]:.6f}")


if __name__ == "__main__":
    main()
