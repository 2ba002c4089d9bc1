// The WebAssembly module in Node, through the API the page uses (wasm/sonotype.d.ts): features
// against librosa 0.8.1, the shape of its answers, and clear errors for bad models and bad audio.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { loadSonotype } from '../support/sonotype.mjs';
import { readWav } from '../support/wav.mjs';

const wasmDir = requiredEnv('SONOTYPE_WASM_DIR');
const shared = /** @type {string} */ (sharedDir());  // null only where the tests reading it are skipped
const sonotype = await loadSonotype(wasmDir);
const modelBlob = new Uint8Array(readFileSync(join(wasmDir, 'gtzan.sono')));
const model = sonotype.loadModel(modelBlob);

const sum = (values) => values.reduce((a, b) => a + b, 0);
const argmax = (values) => values.indexOf(Math.max(...values));

function assertProbabilities(proba, where) {
  assert.ok(proba instanceof Float64Array, `${where}: a Float64Array`);
  assert.equal(proba.length, model.labels.length, `${where}: one per label`);
  assert.ok(Math.abs(sum(proba) - 1) < 1e-9, `${where}: sums to 1`);
}

// The audio of a librosa reference: inputs/NAME.wav, or the GTZAN clip NAME.wav.
// The audio a reference was made from: inputs/NAME.wav, the GTZAN clip NAME.wav, or for
// "NAME.seg0" that clip's samples [0, 66149) (../shared/README.md).
function referenceAudio(name) {
  const input = join(shared, 'reference/librosa-0.8.1/inputs', `${name}.wav`);
  if (existsSync(input)) return readWav(input).samples;
  const clip = name.replace(/\.seg0$/, '');
  const samples = readWav(join(shared, 'data/gtzan/dev_audio', `${clip}.wav`)).samples;
  return clip === name ? samples : samples.subarray(0, 66149);
}

// The acceptance tolerance of a feature column: 1e-4 x max(|reference|, the column's standard
// deviation over the 1000 rows of features_30_sec.csv), so that near-zero means are not held to
// a relative error that float32 audio cannot give.
function columnDeviations() {
  const [header, ...rows] = readFileSync(join(shared, 'data/gtzan/features_30_sec.csv'), 'utf8').trim().split('\n');
  const names = header.split(',');
  const table = rows.map((row) => row.split(','));
  return Object.fromEntries(names.map((name, j) => {
    const column = table.map((row) => Number(row[j]));
    const mean = sum(column) / column.length;
    return [name, Math.sqrt(sum(column.map((v) => (v - mean) ** 2)) / (column.length - 1))];
  }));
}

test('version() names the release', () => {
  assert.match(sonotype.version(), /^\d+\.\d+\.\d+/);
});

test('loadModel() describes the default model', () => {
  assert.equal(model.labels.length, 10);
  assert.ok(model.labels.includes('blues') && model.labels.includes('rock'));
  assert.equal(model.featureNames.length, 57);
  assert.equal(model.featureNames[0], 'chroma_stft_mean');
  assert.equal(model.featureNames[56], 'mfcc20_var');
  assert.deepEqual(model.pipeline, { sampleRate: 22050, nFft: 2048, hopLength: 512, windowSeconds: 30 });
});

test('a malformed model blob gives a clear error, and the model in use stays', async (t) => {
  const flipped = modelBlob.slice();
  flipped[Math.floor(flipped.length / 2)] ^= 0x5a;
  const malformed = {
    'truncated to half': modelBlob.slice(0, modelBlob.length >> 1),
    'truncated by one byte': modelBlob.slice(0, -1),
    'one byte flipped': flipped,
    'empty': new Uint8Array(0),
    'not a model': new TextEncoder().encode('{"format": "sonotype-interchange"}'),
  };
  const features = new Float64Array(57).fill(1);
  const before = sonotype.classifyFeatures(features);
  for (const [name, blob] of Object.entries(malformed)) {
    await t.test(name, () => {
      assert.throws(() => sonotype.loadModel(blob), (error) => {
        assert.ok(error instanceof Error, 'a JavaScript Error');
        assert.match(error.message, /^model blob: \S.{8,}/, 'the core\'s ModelError message');
        return true;
      });
      assert.deepEqual(sonotype.classifyFeatures(features), before, 'the previous model still answers');
    });
  }
  assert.deepEqual(sonotype.loadModel(modelBlob), model, 'a good blob loads after bad ones');
});

test('analyse() refuses audio it cannot use, with a clear error', async (t) => {
  const tenSeconds = () => new Float32Array(10 * 22050).map((_, i) => Math.sin(i / 10));
  /** @type {Record<string, [Float32Array, RegExp]>} */
  const cases = {
    'empty': [new Float32Array(0), /empty/],
    'a NaN sample': [Object.assign(tenSeconds(), { 1234: NaN }), /sample 1234 is not finite/],
    'an infinite sample': [Object.assign(tenSeconds(), { 99: -Infinity }), /sample 99 is not finite/],
    'shorter than 3 s': [new Float32Array(66148), /at least 66149 samples \(3 s\)/],
    'silent': [new Float32Array(40 * 22050), /the audio is silent/],
  };
  for (const [name, [samples, message]] of Object.entries(cases)) {
    await t.test(name, () => assert.throws(() => sonotype.analyse(samples), (error) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, message);
      return true;
    }));
  }
  await t.test('the module still works afterwards', () => {
    assertProbabilities(sonotype.analyse(tenSeconds()).proba, 'proba');
  });
});

test('classifyFeatures() checks its input', () => {
  assert.throws(() => sonotype.classifyFeatures(new Float64Array(56)), /expected 57 features, got 56/);
  assert.throws(() => sonotype.classifyFeatures(new Float64Array(57).fill(NaN)), /not finite/);
});

// Every librosa reference, each clip whole.
const REFERENCES = [
  'blues.00000', 'classical.00000', 'rock.00000', 'blues.00000.seg0', 'classical.00000.seg0', 'rock.00000.seg0',
  'synthetic_tones_chirp_clicks_10s', 'synthetic_white_noise_5s', 'synthetic_silence_5s', 'synthetic_short_0p2s',
];

// features() for all of them (silence and 0.2 s too, which analyse() refuses to classify);
// analyse() gives the same features, as the next test checks.
test('features() computes the 57 features as librosa 0.8.1 does', { skip: !shared }, async (t) => {
  const deviation = columnDeviations();
  for (const name of REFERENCES) {
    await t.test(name, () => {
      const reference = JSON.parse(readFileSync(join(shared, 'reference/librosa-0.8.1', `${name}.json`), 'utf8')).gtzan57;
      const { features } = sonotype.features(referenceAudio(name));
      assert.ok(features instanceof Float64Array && features.length === 57);
      const wrong = model.featureNames.flatMap((feature, j) => {
        const [got, want] = [features[j], reference[feature]];
        if (feature === 'tempo') return got === want ? [] : [`tempo ${got} != ${want}`];
        const tolerance = 1e-4 * Math.max(Math.abs(want), deviation[feature]);
        return Math.abs(got - want) <= tolerance ? [] : [`${feature}: ${got} vs librosa ${want} (tolerance ${tolerance.toExponential(2)})`];
      });
      assert.deepEqual(wrong, [], `features outside the tolerance:\n${wrong.join('\n')}`);
    });
  }
});

// What the page's workers do: songWindows(), features() of each range (in any instance), then
// classifySong(). Lengths that are not whole windows make the windows overlap.
const threeSteps = (song) => sonotype.classifySong(sonotype.songWindows(song.length)
  .map((range) => ({ ...range, ...sonotype.features(song.subarray(range.begin, range.end)) })));

test('songWindows(), features() and classifySong() give analyse()\'s answer exactly', { skip: !shared }, () => {
  const samples = readWav(join(shared, 'data/gtzan/dev_audio/reggae.00000.wav')).samples;
  for (const [length, windows] of [[90 * 22050 + 12345, 4], [45 * 22050 + 1, 2], [40 * 22050, 1]]) {
    const song = Float32Array.from({ length }, (_, i) => samples[i % samples.length]);
    const whole = sonotype.analyse(song);
    const split = threeSteps(song);
    assert.equal(split.windows.length, windows, `${length} samples`);
    const { timings: wholeTimings, ...answer } = whole;
    const { timings, ...same } = split;
    assert.deepEqual(same, answer, `${length} samples`);
    assert.deepEqual(Object.keys(timings).sort(), Object.keys(wholeTimings).sort());
    assert.ok(timings.features > 0 && timings.total >= timings.features, 'the windows\' computation, summed');
  }
});

test('the three steps refuse what analyse() refuses, with the same messages', () => {
  const short = new Float32Array(22050);
  assert.throws(() => sonotype.analyse(short), /the audio lasts 1\.00 s; at least 66149 samples/);
  assert.throws(() => sonotype.songWindows(short.length), /the audio lasts 1\.00 s; at least 66149 samples/);
  assert.throws(() => sonotype.songWindows(0), /the audio is empty/);
  assert.throws(() => sonotype.songWindows(-1), /the length must be a whole number of samples/);
  assert.throws(() => sonotype.songWindows(2 ** 31), /the length must be a whole number of samples/);
  const bad = new Float32Array(22050 * 4).fill(0.1);
  bad[70000] = NaN;
  assert.throws(() => sonotype.features(bad), /non-finite samples/);
  assert.throws(() => sonotype.classifySong([]), /a song needs at least one window/);
  assert.throws(() => sonotype.classifySong([{ begin: 0, end: 10, features: new Float64Array(56) }]),
    /window 0: expected 57 features, got 56/);
  assert.throws(() => sonotype.classifySong([{ begin: 5, end: 5, features: new Float64Array(57) }]),
    /window 0 has no valid begin and end/);
  assert.throws(() => sonotype.classifySong([{ begin: 0, end: 661500, features: new Float64Array(57) }]),
    /the audio is silent/);  // rms_mean 0
});

test('analyse() leaves silent windows out of the song\'s answer, and marks them', { skip: !shared }, () => {
  // A 30-s GTZAN clip, then 40 s of silence: windows at 0, 20 and 40 s, the last one silent.
  const clip = readWav(join(shared, 'data/gtzan/dev_audio/jazz.00001.wav')).samples;
  const song = new Float32Array(70 * 22050);
  song.set(clip.subarray(0, 30 * 22050));
  const a = sonotype.analyse(song);
  assert.deepEqual(a.windows.map((w) => w.silent), [false, false, true]);
  a.proba.forEach((p, c) => assert.ok(Math.abs(p - (a.windows[0].proba[c] + a.windows[1].proba[c]) / 2) < 1e-12));
});

test('analyse() returns one consistent, self-contained answer', { skip: !shared }, () => {
  const samples = readWav(join(shared, 'data/gtzan/dev_audio/blues.00000.wav')).samples;
  const song = Float32Array.from({ length: 90 * 22050 }, (_, i) => samples[i % samples.length]);
  const a = sonotype.analyse(song);

  assertProbabilities(a.proba, 'proba');
  assert.equal(a.top, argmax(a.proba));
  assert.equal(a.label, model.labels[a.top]);
  // The members of the default model's top-level voting or stacking, as scikit-learn exported them.
  const { golden } = JSON.parse(readFileSync(join(requiredEnv('SONOTYPE_SOURCE_DIR'), 'models/gtzan.json'), 'utf8'));
  assert.deepEqual(Object.keys(a.base).sort(), Object.keys(golden.base_proba ?? {}).sort());
  for (const [name, proba] of Object.entries(a.base)) assertProbabilities(proba, `base.${name}`);

  // A 90-s song: three 30-s windows covering it, whose mean is the song's answer.
  assert.equal(a.windows.length, 3);
  assert.equal(a.windows[0].start, 0);
  assert.ok(Math.abs(a.windows[a.windows.length - 1].end - song.length / 22050) < 1e-9);
  for (const w of a.windows) {
    assert.equal(w.silent, false);
    assertProbabilities(w.proba, 'window proba');
    assert.ok(Math.abs(w.end - w.start - 30) < 1e-9);
    assert.equal(w.label, model.labels[w.top]);
  }
  const mean = a.proba.map((_, c) => sum(a.windows.map((w) => w.proba[c])) / a.windows.length);
  mean.forEach((p, c) => assert.ok(Math.abs(p - a.proba[c]) < 1e-12));
  assert.deepEqual(a.features, a.windows[0].features);

  // classifyFeatures() on a window's features gives that window's answer.
  const again = sonotype.classifyFeatures(a.windows[1].features);
  assert.deepEqual(again.proba, a.windows[1].proba);
  assert.equal(again.label, a.windows[1].label);

  for (const key of ['features', 'classify', 'total', 'stft', 'hpss', 'tempo']) {
    assert.ok(Number.isFinite(a.timings[key]) && a.timings[key] >= 0, `timings.${key}`);
  }
  assert.ok(a.timings.total >= a.timings.features);
  assert.doesNotThrow(() => structuredClone(a), 'plain data that can be posted to another thread');
});

// tests/data/similar_gtzan.json: scikit-learn's NearestNeighbors on the model's scaled rows
// (tools/make_similar_fixture.py), songs of two windows each.
test('similar() gives scikit-learn\'s nearest songs, with the documented similarity', () => {
  const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
  const fixture = JSON.parse(readFileSync(join(sourceDir, 'tests/data/similar_gtzan.json'), 'utf8'));
  const per = fixture.windows_per_song;
  const songs = [];
  for (let s = 0; s * per < fixture.rows.length; s++) songs.push(new Float64Array(fixture.rows.slice(s * per, (s + 1) * per).flat()));
  for (const q of fixture.queries) {
    const near = sonotype.similar(songs, q.song, q.neighbours.length);
    assert.deepEqual(near.map((song) => song.index), q.neighbours, `song ${q.song}`);
    near.forEach((song, i) => {
      assert.ok(Math.abs(song.distance - q.distances[i]) < 1e-9 * q.distances[i], `song ${q.song}, neighbour ${i}`);
      assert.ok(Math.abs(song.similarity - 1 / (1 + q.distances[i] / Math.sqrt(57))) < 1e-9);
    });
  }
  assert.equal(sonotype.similar(songs, 0, 100).length, songs.length - 1, 'every other song, at most');
  assert.throws(() => sonotype.similar(songs, songs.length, 3), /query must be the index of a song/);
  assert.throws(() => sonotype.similar([new Float64Array(56)], 0, 3), /song 0 has 56 values, not 57 per window/);
});

test('analyse() says when a sound is unlike the training music, and still gives its probabilities', { skip: !shared }, () => {
  // White noise (seeded) against a GTZAN clip: only the noise is beyond the model's threshold.
  let state = 16;
  const noise = Float32Array.from({ length: 30 * 22050 }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
  const heard = sonotype.analyse(noise);
  const novelty = heard.novelty;
  assert.ok(novelty !== null && novelty.novel, 'noise is novel');
  assert.ok(novelty.score > novelty.threshold);
  assertProbabilities(heard.proba, 'noise');
  assert.equal(heard.windows[0].novelty?.novel, true);
  const music = sonotype.analyse(readWav(join(shared, 'data/gtzan/dev_audio/blues.00000.wav')).samples);
  assert.equal(music.novelty?.novel, false);
  assert.equal(sonotype.classifyFeatures(music.features).novelty?.novel, false);
});

test('audio whose spectra overflow is refused plainly, and the next call still works', () => {
  const huge = Float32Array.from({ length: 4 * 22050 }, (_, i) => 1e25 * Math.sin(i / 10));
  assert.throws(() => sonotype.features(huge), /far outside \[-1, 1\]/);
  const fine = Float32Array.from({ length: 4 * 22050 }, (_, i) => 0.3 * Math.sin(i / 10));
  assert.equal(sonotype.features(fine).features.length, 57);
});
