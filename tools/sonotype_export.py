"""Fitted scikit-learn (1.2) and xgboost (1.7) models as a Sonotype model graph: the version-3
interchange document of models/interchange.md, which `sonotype convert` turns into a .sono blob.

    doc = interchange(model, labels, feature_names, pipeline, golden_X)

`model` is a Pipeline (or a lone estimator) over the 57 raw features whose steps are
FunctionTransformer(signed_log1p), PowerTransformer(yeo-johnson), StandardScaler, PCA and
selectors (VarianceThreshold, SelectKBest, ...), and whose estimator is one of KNeighbors, SVC
(probability=True), MLP (relu), LogisticRegression (multinomial), GaussianNB, DecisionTree,
RandomForest, ExtraTrees, HistGradientBoosting, XGBClassifier (multi:softprob), or a soft
VotingClassifier / StackingClassifier (predict_proba) of any of these, members possibly Pipelines.
Each becomes one node; an unsupported object raises TypeError naming it.
"""
import json
import re

import numpy as np
from sklearn.ensemble import (ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier,
                              StackingClassifier, VotingClassifier)
from sklearn.feature_selection import SelectorMixin
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, PowerTransformer, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

LEAF = 0xFFFF  # `feature` of a tree leaf (models/FORMAT.md, "Trees")
RESERVED = {"graph", "pipeline", "novelty", "labels", "feature_names"}


def signed_log1p(X, columns):
    """x -> sign(x) * log1p(|x|) on `columns`, others unchanged (the signed_log1p node)."""
    X = np.array(X, dtype=np.float64)
    X[:, columns] = np.sign(X[:, columns]) * np.log1p(np.abs(X[:, columns]))
    return X


def f32_at_most(t):
    """The largest float32 <= t: float32(x) <= it exactly when float32(x) <= t."""
    f = np.float32(t)
    return float(np.nextafter(f, np.float32(-np.inf)) if f > t else f)


class Graph:
    def __init__(self):
        self.nodes = {}

    def name(self, wanted):
        """`wanted` made a valid, unused node name."""
        base = re.sub(r"[^A-Za-z0-9_]", "_", wanted) or "node"
        base = base + "_" if base in RESERVED else base
        name, i = base, 2
        while name in self.nodes:
            name, i = f"{base}_{i}", i + 1
        return name

    def add(self, wanted, node):
        name = self.name(wanted)
        self.nodes[name] = node
        return name

    # ---- chains and transforms ----

    def chain(self, wanted, model):
        """A Pipeline (or a lone estimator: a chain without steps) as a pipeline node."""
        name = self.name(wanted)
        self.nodes[name] = None  # reserve the name before the steps take theirs
        steps = list(model.steps[:-1]) if isinstance(model, Pipeline) else []
        final = model.steps[-1][1] if isinstance(model, Pipeline) else model
        step_names = [n for step_name, t in steps for n in self.transform(f"{step_name}", t)]
        self.nodes[name] = {"kind": "pipeline", "steps": step_names,
                            "estimator": self.estimator(model.steps[-1][0] if isinstance(model, Pipeline) else f"{name}_estimator", final)}
        return name

    def transform(self, wanted, t):
        """The node names of one fitted transformer (PowerTransformer(standardize) is two nodes)."""
        if isinstance(t, FunctionTransformer) and getattr(t.func, "__name__", "") == "signed_log1p":
            return [self.add(wanted, {"kind": "signed_log1p", "columns": [int(c) for c in t.kw_args["columns"]]})]
        if isinstance(t, PowerTransformer) and t.method == "yeo-johnson":
            out = [self.add(wanted, {"kind": "yeo_johnson", "lambdas": t.lambdas_.tolist()})]
            if t.standardize:
                out += self.transform(f"{wanted}_scale", t._scaler)
            return out
        if isinstance(t, StandardScaler):
            n = len(t.mean_) if t.mean_ is not None else len(t.scale_)
            mean = t.mean_ if t.with_mean else np.zeros(n)
            scale = t.scale_ if t.with_std else np.ones(n)
            return [self.add(wanted, {"kind": "standard_scaler", "mean": mean.tolist(), "scale": scale.tolist()})]
        if isinstance(t, PCA):
            if t.whiten:
                raise TypeError(f"{wanted}: PCA(whiten=True) is not a node kind")
            return [self.add(wanted, {"kind": "pca", "mean": t.mean_.tolist(), "components": t.components_.tolist()})]
        if isinstance(t, SelectorMixin):
            return [self.add(wanted, {"kind": "select", "columns": [int(c) for c in t.get_support(indices=True)]})]
        if isinstance(t, Pipeline):
            return [n for step_name, s in t.steps for n in self.transform(f"{wanted}_{step_name}", s)]
        raise TypeError(f"{wanted}: {type(t).__name__} is not a transform node kind")

    # ---- estimators ----

    def estimator(self, wanted, e):
        if isinstance(e, Pipeline):
            return self.chain(wanted, e)
        if isinstance(e, KNeighborsClassifier):
            if e.metric != "minkowski" or e.p not in (1, 2):
                raise TypeError(f"{wanted}: KNN metric must be minkowski with p 1 or 2")
            return self.add(wanted, {"kind": "knn", "n_neighbors": int(e.n_neighbors), "weights": e.weights, "p": int(e.p),
                                     "fit_X": e._fit_X.tolist(), "fit_y": e._y.astype(int).tolist()})
        if isinstance(e, SVC):
            if not e.probability:
                raise TypeError(f"{wanted}: SVC needs probability=True")
            knn_rows = self.knn_rows(e)
            return self.add(wanted, {"kind": "svc", "kernel": e.kernel, "gamma": float(e._gamma), "coef0": float(e.coef0),
                                     "degree": int(e.degree), "support": knn_rows,
                                     "support_vectors": e.support_vectors_.tolist(),
                                     "n_support": e._n_support.astype(int).tolist(), "dual_coef": e._dual_coef_.tolist(),
                                     "rho": (-e._intercept_).tolist(), "prob_a": e.probA_.tolist(), "prob_b": e.probB_.tolist()})
        if isinstance(e, MLPClassifier):
            if e.activation != "relu" or e.out_activation_ != "softmax":
                raise TypeError(f"{wanted}: MLP must be relu with a softmax output (more than two classes)")
            return self.add(wanted, {"kind": "mlp", "activation": "relu", "coefs": [w.tolist() for w in e.coefs_],
                                     "intercepts": [b.tolist() for b in e.intercepts_]})
        if isinstance(e, LogisticRegression):  # LogisticRegressionCV too
            if e.coef_.shape[0] < 3 or e.multi_class == "ovr" or (e.multi_class == "auto" and e.solver == "liblinear"):
                raise TypeError(f"{wanted}: logistic regression must be multinomial over 3 or more classes")
            return self.add(wanted, {"kind": "logistic", "coef": e.coef_.tolist(), "intercept": e.intercept_.tolist()})
        if isinstance(e, GaussianNB):
            return self.add(wanted, {"kind": "gaussian_nb", "theta": e.theta_.tolist(), "var": e.var_.tolist(),
                                     "class_prior": e.class_prior_.tolist()})
        if isinstance(e, DecisionTreeClassifier):
            return self.add(wanted, self.forest([e]))
        if isinstance(e, (RandomForestClassifier, ExtraTreesClassifier)):
            return self.add(wanted, self.forest(e.estimators_))
        if isinstance(e, HistGradientBoostingClassifier):
            return self.add(wanted, self.hist_gradient_boosting(e))
        if type(e).__name__ == "XGBClassifier":
            return self.add(wanted, self.xgboost(e))
        if isinstance(e, VotingClassifier):
            if e.voting != "soft":
                raise TypeError(f"{wanted}: only soft voting is a node kind")
            name = self.name(wanted)
            self.nodes[name] = None
            members = [self.estimator(n, m) for n, m in zip(e.named_estimators_.keys(), e.estimators_)]
            weights = np.ones(len(members)) if e.weights is None else np.asarray(e._weights_not_none, float)
            self.nodes[name] = {"kind": "voting", "members": members, "weights": weights.tolist()}
            return name
        if isinstance(e, StackingClassifier):
            if any(m != "predict_proba" for m in e.stack_method_):
                raise TypeError(f"{wanted}: stacking must use predict_proba")
            name = self.name(wanted)
            self.nodes[name] = None
            members = [self.estimator(n, m) for n, m in zip(e.named_estimators_.keys(), e.estimators_)]
            final = self.estimator(f"{name}_final", e.final_estimator_)
            self.nodes[name] = {"kind": "stacking", "members": members, "final": final, "passthrough": bool(e.passthrough)}
            return name
        raise TypeError(f"{wanted}: {type(e).__name__} is not an estimator node kind")

    def knn_rows(self, svc):
        """The SVM's support indices when its support vectors are rows of a KNN node's fit_X, else None."""
        for node in self.nodes.values():
            if node and node["kind"] == "knn" and max(svc.support_, default=-1) < len(node["fit_X"]):
                fit_X = np.asarray(node["fit_X"])
                if np.array_equal(fit_X[svc.support_], svc.support_vectors_):
                    return svc.support_.astype(int).tolist()
        return None

    # ---- trees ----

    @staticmethod
    def trees(node, trees, float32_input):
        """Appends trees to the shared node arrays of `node`. Each tree is (left, right, feature,
        threshold, leaf value of node n), children -1 at leaves; nodes are renumbered in preorder
        so that a left child is the next node (models/FORMAT.md, "Trees")."""
        for left, right, feature, threshold, leaf in trees:
            base = len(node["feature"])
            node["roots"].append(base)
            order, stack = [], [0]
            while stack:
                n = stack.pop()
                order.append(n)
                if left[n] >= 0:
                    stack += [right[n], left[n]]
            index = {n: base + i for i, n in enumerate(order)}
            for n in order:
                if left[n] < 0:
                    node["feature"].append(LEAF)
                    node["threshold"].append(0.0)
                    node["right"].append(len(node["leaves"]))
                    node["leaves"].append(leaf(n))
                else:
                    node["feature"].append(int(feature[n]))
                    node["threshold"].append(threshold[n])
                    node["right"].append(index[right[n]])
        return node

    def forest(self, estimators):
        """Decision trees averaged (tree_ensemble): sklearn compares float32(x) <= threshold."""
        node = {"kind": "tree_ensemble", "roots": [], "feature": [], "threshold": [], "right": [], "leaves": [],
                "float32_input": True}
        def tree(t):
            value = t.value[:, 0, :]
            total = value.sum(axis=1, keepdims=True)
            proba = value / np.where(total == 0, 1, total)
            return (t.children_left, t.children_right, t.feature, [f32_at_most(v) for v in t.threshold],
                    lambda n: proba[n].tolist())
        self.trees(node, [tree(e.tree_) for e in estimators], True)
        node["leaf_proba"] = node.pop("leaves")
        return node

    def hist_gradient_boosting(self, e):
        """HistGradientBoostingClassifier: x (float64) <= num_threshold (float64, kept exact: the blob
        stores these thresholds as f64); per class one tree per iteration."""
        k = e.n_trees_per_iteration_
        if k < 3:
            raise TypeError("HistGradientBoosting needs 3 or more classes")
        node = {"kind": "boosted_trees", "roots": [], "feature": [], "threshold": [], "right": [], "leaves": [],
                "float32_input": False, "tree_class": [], "base_score": np.ravel(e._baseline_prediction).tolist()}
        trees = []
        for iteration in e._predictors:
            for c, p in enumerate(iteration):
                nd = p.nodes
                if nd["is_categorical"].any():
                    raise TypeError("HistGradientBoosting with categorical splits is not a node kind")
                leaf = nd["is_leaf"].astype(bool)
                left = np.where(leaf, -1, nd["left"].astype(int))
                right = np.where(leaf, -1, nd["right"].astype(int))
                trees.append((left, right, nd["feature_idx"], [float(v) for v in nd["num_threshold"]],
                              lambda n, nd=nd: float(nd["value"][n])))
                node["tree_class"].append(c)
        self.trees(node, trees, False)
        node["leaf_value"] = node.pop("leaves")
        return node

    def xgboost(self, e):
        """XGBClassifier(objective multi:softprob): float32(x) < split_condition goes left."""
        model = json.loads(e.get_booster().save_raw("json").decode())["learner"]
        if model["objective"]["name"] != "multi:softprob":
            raise TypeError("XGBoost must use multi:softprob")
        k = int(model["learner_model_param"]["num_class"])
        gbtree = model["gradient_booster"]["model"]
        base = float(model["learner_model_param"]["base_score"])
        node = {"kind": "boosted_trees", "roots": [], "feature": [], "threshold": [], "right": [], "leaves": [],
                "float32_input": True, "tree_class": [int(c) for c in gbtree["tree_info"]], "base_score": [base] * k}
        trees = []
        for t in gbtree["trees"]:
            left, right = np.array(t["left_children"]), np.array(t["right_children"])
            cond = np.array(t["split_conditions"], dtype=np.float32)
            below = np.nextafter(cond, np.float32(-np.inf))  # x < c  is  x <= the float32 below c
            trees.append((left, right, t["split_indices"], [float(v) for v in below],
                          lambda n, cond=cond: float(cond[n])))
        self.trees(node, trees, True)
        node["leaf_value"] = node.pop("leaves")
        return node


def members_proba(model, graph, root, X):
    """What each member of the top-level voting or stacking says about X, by its node name."""
    top = model[-1] if isinstance(model, Pipeline) else model
    if not isinstance(top, (VotingClassifier, StackingClassifier)):
        return None
    Z = model[:-1].transform(X) if isinstance(model, Pipeline) and len(model) > 1 else X
    names = graph.nodes[graph.nodes[root]["estimator"]]["members"]
    return {name: m.predict_proba(Z).tolist() for name, m in zip(names, top.estimators_)}


NOVELTY_ROWS = 400  # reference rows at most: 400 x 57 in f16 is 46 KB of the page's 150 KB


def novelty_reference(model, train_X, max_rows=NOVELTY_ROWS):
    """The root pipeline's output (its transform steps applied) for at most max_rows of the
    training rows, drawn without replacement with a fixed seed: the rows novelty measures
    distances to when no KNN holds them (models/interchange.md, `novelty`)."""
    X = np.asarray(train_X, dtype=np.float64)
    if len(X) > max_rows:
        X = X[np.sort(np.random.default_rng(0).choice(len(X), max_rows, replace=False))]
    return model[:-1].transform(X) if isinstance(model, Pipeline) else X


def interchange(model, labels, feature_names, pipeline, golden_X, train_X=None):
    """The interchange document (version 3) of a fitted model, with scikit-learn's answers on
    golden_X: predict_proba, its most probable label, and each top-level member's predict_proba;
    with train_X (the rows it was fitted on), novelty's reference rows too."""
    g = Graph()
    root = g.chain("model", model)
    proba = model.predict_proba(golden_X)
    golden = {"X": np.asarray(golden_X).tolist(), "proba": proba.tolist(), "label": proba.argmax(axis=1).tolist()}
    members = members_proba(model, g, root, golden_X)
    if members is not None:
        golden["base_proba"] = members
    doc = {"format": "sonotype-interchange", "version": 3, "labels": list(labels), "feature_names": list(feature_names),
           "pipeline": pipeline, "graph": {"root": root, "nodes": g.nodes}, "golden": golden}
    if train_X is not None:
        doc["novelty"] = {"reference": novelty_reference(model, train_X).tolist()}
    return doc
