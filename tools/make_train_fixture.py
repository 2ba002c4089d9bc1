#!/usr/bin/python3
"""Writes tests/data/train_parity.json: scikit-learn's answers for the C++ trainer's parity tests
(tests/unit/train_parity_test.cpp).

Rows of the GTZAN feature table (four genres; 15 training and 5 held-out songs each, inputs
rounded to 9 significant digits before anything is fitted), in a shuffled order so that the
fold assignment's order of first appearance matters. For them, scikit-learn 1.2 gives:
  - the fitted StandardScaler and LogisticRegression(multi_class="multinomial", solver="lbfgs")
    run to convergence (tol 1e-10, restarted until it settles) for every C the trainer tries: coefficients, intercepts, held-out labels
    and probabilities;
  - KNeighborsClassifier(weights="distance") held-out probabilities and labels;
  - StratifiedKFold(5)'s test fold of each row;
  - the cross-validation of tools/train_cv_reference.py on all 60 rows (5-fold) and on 6 songs
    per genre (leave-one-out).

    /usr/bin/python3 tools/make_train_fixture.py [path/to/features_30_sec.csv]
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import train_cv_reference as ref  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared/data/gtzan/features_30_sec.csv"
GENRES = ["blues", "classical", "metal", "reggae"]
TRAIN_PER_GENRE, TEST_PER_GENRE, SMALL_PER_GENRE = 15, 5, 6
C_VALUES = ref.C_VALUES  # every C the trainer tries
K = 5
SEED = 12
RESTARTS = 30


def rounded(a):
    return np.array([[float(f"{v:.9g}") for v in row] for row in a])


def converged(model, X, y):
    """lbfgs stops on a relative decrease of 64 eps before tol is met; restarting it from where it
    stopped (warm_start) takes the gradient from ~1e-6 to ~1e-7, so that what is compared is the
    objective's minimiser rather than where one solver stopped."""
    model.named_steps["model"].warm_start = True
    for _ in range(RESTARTS):
        model.fit(X, y)
    return model


def fit_results(X, y, Xt, feature_names):
    out = {}
    for C in C_VALUES:
        model = converged(ref.pipeline(feature_names, ref.logistic(C)), X, y)
        scaler, lr = model.named_steps["scale"], model.named_steps["model"]
        out[f"logistic C={C:g}"] = {
            "C": C, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
            "coef": lr.coef_.tolist(), "intercept": lr.intercept_.tolist(),
            "labels": model.predict(Xt).tolist(), "proba": model.predict_proba(Xt).tolist()}
    for k in ref.K_VALUES:  # the cross-validation may choose any of them
        model = ref.pipeline(feature_names, ref.knn(k)).fit(X, y)
        out[f"knn k={k}"] = {"k": k, "labels": model.predict(Xt).tolist(), "proba": model.predict_proba(Xt).tolist()}
    return out


def cv_results(X, y, feature_names):
    results, chosen, scheme = ref.cross_validate(X, y, feature_names)
    return {"scheme": scheme, "chosen": chosen[0],
            "tried": [{"description": r[0], "accuracy": r[4]} for r in results]}


def main():
    table = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV)
    feature_names = [c for c in table.columns if c not in ("filename", "length", "label")]
    train, test = [], []
    for g in GENRES:
        rows = table[table.label == g]
        train.append(rows.iloc[:TRAIN_PER_GENRE])
        test.append(rows.iloc[TRAIN_PER_GENRE:TRAIN_PER_GENRE + TEST_PER_GENRE])
    train = pd.concat(train).sample(frac=1.0, random_state=SEED)
    test = pd.concat(test)
    X, y = rounded(train[feature_names].to_numpy()), train.label.to_numpy()
    Xt, yt = rounded(test[feature_names].to_numpy()), test.label.to_numpy()

    small = np.concatenate([np.flatnonzero(y == g)[:SMALL_PER_GENRE] for g in GENRES])
    small.sort()
    folds = np.empty(len(y), dtype=int)
    for f, (_, test_rows) in enumerate(StratifiedKFold(ref.STRATIFIED_FOLDS).split(X, y)):
        folds[test_rows] = f

    doc = {
        "about": "made by tools/make_train_fixture.py with scikit-learn; see there",
        "feature_names": feature_names,
        "songs": train.filename.tolist(), "X": X.tolist(), "y": y.tolist(),
        "test_X": Xt.tolist(), "test_y": yt.tolist(),
        "fits": fit_results(X, y, Xt, feature_names),
        "stratified_folds": folds.tolist(),
        "cv": cv_results(X, y, feature_names),
        "small_rows": small.tolist(),
        "cv_small": cv_results(X[small], y[small], feature_names),
    }
    out = ROOT / "tests/data/train_parity.json"
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({out.stat().st_size} bytes): cv {doc['cv']['chosen']}, small {doc['cv_small']['chosen']}")


if __name__ == "__main__":
    main()
