// The module's resample() in Node against librosa 0.8.1 + resampy 0.4.2
// (tests/data/resample_reference.json, tools/make_resample_fixtures.py): the same known signals
// the native test checks, through the API the page's workers call.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv } from '../support/shared.mjs';
import { loadSonotype } from '../support/sonotype.mjs';

const sonotype = await loadSonotype(requiredEnv('SONOTYPE_WASM_DIR'));
const reference = JSON.parse(readFileSync(join(requiredEnv('SONOTYPE_SOURCE_DIR'), 'tests/data/resample_reference.json'), 'utf8'));

// The fixture's signal, down-mixed as decode.js does: per channel the float32 sum of
// amplitude * sin(2 pi f i / rate), then the float32 mean of the channels.
function monoSignal({ n, orig_sr: rate, channels }) {
  const parts = channels.map((sines) => Float32Array.from({ length: n }, (_, i) => sines.reduce(
    (sum, [freq, amplitude]) => Math.fround(sum + Math.fround(amplitude * Math.sin(2 * Math.PI * freq * i / rate))), 0)));
  if (parts.length === 1) return parts[0];
  return parts[0].map((_, i) => Math.fround(parts.reduce((sum, p) => Math.fround(sum + p[i]), 0) / parts.length));
}

test('resample() equals librosa.resample for known signals (kaiser_best) within 1e-6', () => {
  for (const c of reference.cases.filter((k) => k.filter === 'kaiser_best')) {
    const got = sonotype.resample(monoSignal(c), c.orig_sr, c.target_sr);
    assert.equal(got.length, c.y.length, c.name);
    const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - c.y[i])));
    assert.ok(worst < 1e-6, `${c.name}: ${worst}`);
  }
});

test('resample() gives librosa.resample lengths and refuses bad rates and too short audio', () => {
  for (const { n, orig_sr: from, target_sr: to, length } of reference.lengths.filter((l) => l.n < 100000)) {
    const zeros = new Float32Array(n);
    if (length === null) assert.throws(() => sonotype.resample(zeros, from, to), /too short to resample/);
    else assert.equal(sonotype.resample(zeros, from, to).length, length);
  }
  const same = Float32Array.of(0.25, -0.5);
  assert.deepEqual(sonotype.resample(same, 22050, 22050), same);
  for (const rate of [0, -44100, 44100.5, NaN, 2e6]) {
    assert.throws(() => sonotype.resample(same, rate, 22050), /sample rates must be whole numbers/);
  }
});

// The page shares a song's resampling out among its workers (web/resample-parts.js): the parts put
// together must be the whole song's resampling, sample for sample.
test('resampling in parts (web/resample-parts.js) equals resampling whole, exactly', async () => {
  const { resampleInParts } = await import(join(requiredEnv('SONOTYPE_SOURCE_DIR'), 'web/resample-parts.js'));
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (const [from, seconds] of [[44100, 20], [48000, 17], [32000, 30], [96000, 9], [44101, 20]]) {
    const samples = Float32Array.from({ length: from * seconds }, (_, i) => 0.5 * Math.sin(i / 7) + 0.3 * noise());
    const whole = sonotype.resample(samples, from, 22050);
    for (const parts of [2, 3]) {
      const used = new Set();
      const joined = await resampleInParts(samples, from, 22050, parts, async (part, i) => {
        used.add(i);
        return sonotype.resample(part, from, 22050);
      });
      assert.equal(joined.length, whole.length, `${from} Hz in ${parts} parts`);
      const differ = joined.findIndex((v, i) => v !== whole[i]);
      assert.equal(differ, -1, `${from} Hz in ${parts} parts: output ${differ} differs`);
      assert.equal(used.size, from === 44101 ? 1 : parts, `${from} Hz: parts used`);  // 44101 Hz: a long period, whole
    }
  }
});
