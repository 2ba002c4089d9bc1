// The page resamples as the command line does: a 44.1-kHz stereo WAV or FLAC, decoded at its own
// rate and resampled in a worker by the WebAssembly module (core/audio, librosa's kaiser_best),
// gives the features `sonotype features` gives, up to the two builds' rounding. For an MP3 the
// browser's decoder is not libsndfile's: how far apart the two are is printed, and must stay
// within 1e-4 of the column scale.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { openPage, startBrowser } from './browser.mjs';

const shared = sharedDir();
const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
// Of the column scale, max(|value|, the column's standard deviation in the GTZAN table): native
// and WebAssembly builds round the features' float math differently.
const BUILD_TOLERANCE = 1e-6;

// The population standard deviation of each feature column of features_30_sec.csv.
function columnScales() {
  const [, ...rows] = readFileSync(join(shared, 'data/gtzan/features_30_sec.csv'), 'utf8').trim().split('\n')
    .map((line) => line.split(',').slice(2, -1).map(Number));
  return rows[0].map((_, j) => {
    const mean = rows.reduce((sum, r) => sum + r[j], 0) / rows.length;
    return Math.sqrt(rows.reduce((sum, r) => sum + (r[j] - mean) ** 2, 0) / rows.length);
  });
}

// The CLI's sample count and 57 features of `file` (its one row of `sonotype features`).
function cliFeatures(file) {
  const [, row] = execFileSync(cli, ['features', file]).toString().trim().split('\n');
  const cells = row.split(',');
  return { length: Number(cells[1]), features: cells.slice(2, -1).map(Number) };
}

// The page's features of `file`: decoded and resampled as the page does (decode.js, with the
// workers' resample()), then the first window's features from the workers.
async function pageFeatures(page, file) {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
    const { decodeToMono } = await import('./decode.js');
    const { Classifier } = await import('./classifier.js');
    const classifier = new Classifier();
    await classifier.ready;
    const samples = await decodeToMono(bytes, (...args) => classifier.resample(...args));
    return { length: samples.length, features: Array.from((await classifier.analyse(samples)).features) };
  }, readFileSync(file).toString('base64'));
}


test('page resampling', { skip: !shared, timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-resampling-'));
  const clip = join(shared, 'data/gtzan/dev_audio/country.00000.wav');
  const files = {};
  for (const [format, codec] of [['wav', []], ['flac', []], ['mp3', ['-c:a', 'libmp3lame', '-b:a', '192k']]]) {
    files[format] = join(work, `country.44100.${format}`);
    execFileSync('ffmpeg', ['-v', 'error', '-i', clip, '-ar', '44100', '-ac', '2', ...codec, files[format]]);
  }
  const { site, browser } = await startBrowser(t, sourceDir, work);
  const { page, errors } = await openPage(await browser.newContext(), site.url);
  const scales = columnScales();
  // Each column's difference in units of its scale.
  const differences = (ours, want) => want.features.map((w, j) => Math.abs(ours.features[j] - w) / Math.max(Math.abs(w), scales[j]));

  for (const format of ['wav', 'flac']) {
    await t.test(`a 44.1-kHz stereo ${format.toUpperCase()} gives the command line's features`, async () => {
      const ours = await pageFeatures(page, files[format]);
      const want = cliFeatures(files[format]);
      assert.equal(ours.length, want.length);
      const worst = Math.max(...differences(ours, want));
      console.log(`${format}: largest feature difference page vs CLI ${worst.toExponential(2)} of the column scale`);
      assert.ok(worst <= BUILD_TOLERANCE, `${worst}`);
    });
  }

  await t.test('a 44.1-kHz MP3: the browser decodes it within 1e-4 of libsndfile (measured)', async () => {
    const ours = await pageFeatures(page, files.mp3);
    const want = cliFeatures(files.mp3);
    const byColumn = differences(ours, want);
    const worst = Math.max(...byColumn);
    console.log(`mp3: ${ours.length} samples (CLI ${want.length}); largest feature difference page vs CLI`
      + ` ${worst.toExponential(2)} of the column scale (column ${byColumn.indexOf(worst)}),`
      + ` median ${[...byColumn].sort((a, b) => a - b)[28].toExponential(2)}`);
    assert.ok(worst <= 1e-4, `${worst}`);
  });
  assert.deepEqual(errors, []);
});
