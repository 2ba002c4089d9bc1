"""Protocol (c) for a model that exists only as an interchange JSON (models/interchange.md), e.g.
the previous default: `git show b5c96ad:models/gtzan.json > old.json`, then

    /usr/bin/python3 tools/mer4q-score-json.py old.json

`sonotype convert` checks a document's golden labels against its own blob's (f16 weights, as
shipped); with the MER-4Q clips' features (build/mer4q, tools/mer4q-features.sh) as the golden rows
and their GTZAN genres as the golden labels, its "labels agree N/M" is the model's (c) accuracy.
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train import ROOT, SHARED, read_mer  # noqa: E402

doc = json.loads(Path(sys.argv[1]).read_text())
X, genre, _ = read_mer(ROOT / "build/mer4q/features_30_sec.csv", SHARED / "mer4q/labels.csv", doc["feature_names"])
y = [doc["labels"].index(g) for g in genre]
doc["golden"] = {"X": X.tolist(), "proba": np.eye(len(doc["labels"]))[y].tolist(), "label": y}
with tempfile.TemporaryDirectory() as tmp:
    Path(tmp, "in.json").write_text(json.dumps(doc))
    out = subprocess.run([str(ROOT / "build/native/sonotype"), "convert", f"{tmp}/in.json", f"{tmp}/out.sono", "--dtype", "f16"],
                         capture_output=True, text=True).stdout
right, n = map(int, re.search(r"labels agree (\d+)/(\d+)", out).groups())
print(f"{sys.argv[1]}: (c) {right}/{n} = {right / n:.3f}")
