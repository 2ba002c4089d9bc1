// train() in the WebAssembly module: a personal model from feature vectors, against
// scikit-learn's answers for the same rows (tests/data/train_parity.json,
// tools/make_train_fixture.py), and clear errors for training sets it cannot use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv } from '../support/shared.mjs';
import { loadSonotype } from '../support/sonotype.mjs';

const sonotype = await loadSonotype(requiredEnv('SONOTYPE_WASM_DIR'));
const fixture = JSON.parse(readFileSync(join(requiredEnv('SONOTYPE_SOURCE_DIR'), 'tests/data/train_parity.json'), 'utf8'));
const features = new Float64Array(fixture.X.flat());

test('train() chooses by cross-validation as scikit-learn, and its blob gives scikit-learn\'s labels', () => {
  const { blob, report } = sonotype.train(features, fixture.y, fixture.songs);
  assert.deepEqual(report.labels, [...new Set(fixture.y)].sort());
  assert.deepEqual(report.songsPerGenre, [15, 15, 15, 15]);
  assert.equal(report.cvScheme, fixture.cv.scheme);
  for (const tried of report.tried) {
    const expected = fixture.cv.tried.find((t) => t.description === tried.model);
    assert.ok(expected, tried.model);
    assert.ok(Math.abs(tried.accuracy - expected.accuracy) <= 1 / 60 + 1e-12, `${tried.model}: ${tried.accuracy} vs ${expected.accuracy}`);
  }
  assert.equal(report.chosen.model, fixture.cv.chosen);  // the configuration scikit-learn's cross-validation chose
  assert.equal(report.confusion.flat().reduce((a, b) => a + b, 0), 60);
  assert.equal(report.cvConfidence.length, 60);

  const info = sonotype.loadModel(blob);
  assert.deepEqual(info.labels, report.labels);
  const fit = report.chosen.kind === 'knn' ? `knn k=${report.chosen.k}` : `logistic C=${report.chosen.C}`;
  const sklearn = fixture.fits[fit];
  assert.ok(report.chosen.kind !== 'average' && sklearn, `the fixture has scikit-learn's fit for ${fit}`);
  fixture.test_X.forEach((row, i) => {
    const prediction = sonotype.classifyFeatures(row);
    assert.equal(prediction.label, sklearn.labels[i], `held-out row ${i}`);
    prediction.proba.forEach((p, c) => assert.ok(Math.abs(p - sklearn.proba[i][c]) < 1e-5, `row ${i} class ${c}`));
  });
});

test('train() refuses training sets it cannot use, naming the problem', () => {
  const oneGenre = fixture.y.map(() => 'blues');
  assert.throws(() => sonotype.train(features, oneGenre, fixture.songs), /only one genre \('blues'\)/);
  const twice = fixture.songs.slice();
  twice[9] = twice[2];
  assert.throws(() => sonotype.train(features, fixture.y, twice), new RegExp(`${twice[2].replace('.', '\\.')} is labelled twice`));
  const nan = features.slice();
  nan[57 * 4 + 16] = NaN;
  assert.throws(() => sonotype.train(nan, fixture.y, fixture.songs), new RegExp(`${fixture.songs[4].replace('.', '\\.')}: feature tempo is not finite`));
  assert.throws(() => sonotype.train(features.subarray(57), fixture.y, fixture.songs), /expected 60 song names and 60 x 57 features/);
});
