// classifyFeatures() in WebAssembly against scikit-learn: the shipped model (SONOTYPE_WASM_DIR's
// gtzan.sono, made from models/gtzan.json) and the small fixture models of tests/data (every SVM
// kernel, both KNN weightings and Minkowski powers; converted to .sono by the command line) must
// give the golden probabilities that scikit-learn computed, ensemble and base models.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv } from '../support/shared.mjs';
import { loadSonotype } from '../support/sonotype.mjs';

// The C++ parity tests hold the double-precision core to 1e-5; f32 weights stay well inside it.
// The shipped model stores its large matrices as f16 (tools/build-model.sh): on models/gtzan.json
// that moves the ensemble's probabilities by up to 9e-4 and a base estimator's by up to 2.1e-3
// (the distance-weighted KNN, whose weights are 1/distance between f16-rounded rows).
const F32_TOLERANCE = 1e-5;
const F16_TOLERANCE = 5e-3;
const FIXTURES = ['tiny_model', 'tiny_poly', 'tiny_sigmoid', 'tiny_linear'];

const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const wasmDir = requiredEnv('SONOTYPE_WASM_DIR');

function assertClose(got, want, tolerance, what) {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= tolerance, `${what}[${i}]: ${got[i]} vs scikit-learn ${w}`));
}

// The blob must reproduce the golden rows of the interchange file it was made from.
function assertGolden(sonotype, blobPath, jsonPath, tolerance) {
  const { labels, golden } = JSON.parse(readFileSync(jsonPath, 'utf8'));
  assert.deepEqual(sonotype.loadModel(new Uint8Array(readFileSync(blobPath))).labels, labels);
  golden.X.forEach((x, row) => {
    const prediction = sonotype.classifyFeatures(Float64Array.from(x));
    assertClose(prediction.proba, golden.proba[row], tolerance, `row ${row} proba`);
    assert.equal(prediction.label, labels[golden.label[row]], `row ${row} label`);
    // base_proba: what each member of the top-level voting or stacking said (none for a single estimator).
    assert.deepEqual(Object.keys(prediction.base).sort(), Object.keys(golden.base_proba ?? {}).sort(), `row ${row} members`);
    for (const [estimator, proba] of Object.entries(golden.base_proba ?? {})) {
      assertClose(prediction.base[estimator], proba[row], tolerance, `row ${row} ${estimator}`);
    }
  });
}

test('classifyFeatures() gives scikit-learn\'s probabilities', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-golden-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const sonotype = await loadSonotype(wasmDir);
  await t.test('the shipped model', () => {
    assertGolden(sonotype, join(wasmDir, 'gtzan.sono'), join(sourceDir, 'models/gtzan.json'), F16_TOLERANCE);
  });
  for (const name of FIXTURES) {
    await t.test(name, () => {
      const json = join(sourceDir, 'tests/data', `${name}.json`);
      const blob = join(work, `${name}.sono`);
      execFileSync(cli, ['convert', json, blob], { stdio: 'ignore' });
      assertGolden(sonotype, blob, json, F32_TOLERANCE);
    });
  }
});
