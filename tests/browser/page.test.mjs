// The page in headless Chromium, used as a person would: files chosen through the file input
// (WAV, MP3 and OGG made from GTZAN clips at test time, a 90-s WAV whose windows the page's
// workers share, GTZAN's corrupt jazz.00054.wav, and input the page must refuse: too short, empty,
// silent, a NaN sample, not audio), a custom model, phone width and dark mode, then offline
// after the first visit. The genres must
// be those of the command line (`sonotype classify --json`) on the same files, and the page must
// never contact another host. Screenshots go to $SONOTYPE_BUILD_DIR/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import test from 'node:test';

import { parseCsv } from '../support/csv.mjs';
import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { readWav } from '../support/wav.mjs';
import { classifyFiles, closeDetail, openDetail, openPage, startBrowser } from './browser.mjs';

const shared = sharedDir();
const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const screenshots = join(requiredEnv('SONOTYPE_BUILD_DIR'), 'screenshots');
// The page and the CLI read a WAV to the same samples (only the two builds' rounding differs);
// the browser's MP3 and Vorbis decoders differ slightly from libsndfile's.
const WAV_TOLERANCE = 1e-6;
const DECODER_TOLERANCE = 0.02;

// Service-worker requests are reported to `context.on('request')` only with this set.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

// Test files in `dir`, made from the GTZAN dev clips (which never enter the repository).
function makeAudioFiles(dir) {
  const clip = (name) => join(shared, 'data/gtzan/dev_audio', `${name}.wav`);
  const files = {
    wav: join(dir, 'blues.00000.wav'),
    mp3: join(dir, 'classical.00000.mp3'),
    ogg: join(dir, 'rock.00000.ogg'),
    long: join(dir, 'three-clips.wav'),  // 90 s: four overlapping windows, shared by the page's workers
  };
  execFileSync('sox', [clip('blues.00000'), files.wav]);
  execFileSync('sox', [clip('blues.00000'), clip('reggae.00000'), clip('jazz.00001'), files.long]);
  execFileSync('ffmpeg', ['-v', 'error', '-i', clip('classical.00000'), '-c:a', 'libmp3lame', '-b:a', '128k', files.mp3]);
  execFileSync('ffmpeg', ['-v', 'error', '-i', clip('rock.00000'), '-c:a', 'libvorbis', '-q:a', '5', files.ogg]);
  return files;
}

// Input the page must refuse with a clear message, each on its own card; a copy of the good `wav`
// to classify after them; and `wav` followed by a minute of silence: {bad: {path: expected
// message}, good: path, partlySilent: path}.
function makeBadFiles(dir, wav) {
  const path = (name) => join(dir, name);
  execFileSync('sox', ['-n', '-r', '22050', '-b', '16', path('short.wav'), 'synth', '0.2', 'sine', '440']);
  execFileSync('sox', ['-n', '-r', '22050', '-b', '16', path('empty.wav'), 'trim', '0', '0']);
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', path('silence.wav'), 'trim', '0', '10']);
  // A 70-s float WAV (three windows, on different workers) with one NaN sample (sample 1000),
  // patched into its data chunk: its first window fails while the others are under way.
  execFileSync('sox', ['-n', '-r', '22050', '-e', 'floating-point', '-b', '32', path('nan.wav'), 'synth', '70', 'sine', '440']);
  const floats = readFileSync(path('nan.wav'));
  let chunk = 12;
  while (floats.toString('latin1', chunk, chunk + 4) !== 'data') chunk += 8 + floats.readUInt32LE(chunk + 4);
  floats.writeFloatLE(NaN, chunk + 8 + 4 * 1000);
  writeFileSync(path('nan.wav'), floats);
  writeFileSync(path('notes.mp3'), 'These are not the samples you are looking for.\n');
  writeFileSync(path('cut.wav'), readFileSync(path('short.wav')).subarray(0, 30));  // cut inside its fmt chunk
  copyFileSync(wav, path('after-the-bad-ones.wav'));
  execFileSync('sox', [wav, path('then-silence.wav'), 'pad', '0', '60']);  // 30 s of music, 60 s of silence
  return {
    bad: {
      [path('short.wav')]: /the audio lasts 0\.20 s; at least 66149 samples \(3 s\) are needed/,
      [path('empty.wav')]: /The file holds no audio/,
      [path('silence.wav')]: /the audio is silent/,
      [path('nan.wav')]: /non-finite samples/,
      [path('notes.mp3')]: /cannot decode the file/,
      [path('cut.wav')]: /cannot decode the file/,
    },
    good: path('after-the-bad-ones.wav'),
    partlySilent: path('then-silence.wav'),
  };
}

// The command line's answer for `file` with the page's model: {genre, proba (label order),
// windows (each window's genre), novelty ({score, threshold, novel})}.
function classifyWithCli(file) {
  const model = join(sourceDir, 'web/build/gtzan.sono');
  const { labels, files: [result] } = JSON.parse(execFileSync(cli, ['classify', '--json', '--model', model, file]).toString());
  return { genre: result.genre, proba: labels.map((label) => result.proba[label]), windows: result.windows.map((w) => w.genre),
    novelty: result.novelty };
}

test('the page', { skip: !shared, timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-page-'));
  mkdirSync(screenshots, { recursive: true });
  const files = makeAudioFiles(work);
  const corrupt = join(shared, 'data/gtzan/dev_audio/jazz.00054.wav');

  const { site, browser } = await startBrowser(t, sourceDir, work);
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, colorScheme: 'light' });
  const requested = [];
  context.on('request', (request) => requested.push(request.url()));
  const { page, errors } = await openPage(context, site.url);

  await t.test('classifies WAV, MP3 and OGG as the command line does; an undecodable file only fails its own card', async () => {
    const results = await classifyFiles(page, [files.wav, corrupt, files.mp3, files.ogg, files.long]);
    for (const result of results.filter((r) => r.file !== 'jazz.00054.wav')) {
      const expected = classifyWithCli(join(work, result.file));
      assert.equal(result.state, 'done', `${result.file}: ${result.message}`);
      assert.equal(result.genre, expected.genre, result.file);
      assert.deepEqual(result.windows, expected.windows, `${result.file}: the timeline's genres`);
      const tolerance = result.file.endsWith('.wav') ? WAV_TOLERANCE : DECODER_TOLERANCE;
      result.proba.forEach((p, i) => assert.ok(Math.abs(p - expected.proba[i]) <= tolerance,
        `${result.file}: probability ${i} is ${p} on the page, ${expected.proba[i]} on the command line`));
    }
    const failed = results.find((r) => r.file === 'jazz.00054.wav');
    assert.equal(failed.state, 'failed');
    assert.match(failed.message, /cannot decode the file/);
  });

  await t.test('saves the results as a CSV table that agrees with the command line, novelty included', async () => {
    const quoted = join(work, 'Blues, "live".wav');  // a name that needs quoting
    copyFileSync(files.wav, quoted);
    const square = join(work, 'square.wav');  // not music: novel
    execFileSync('sox', ['-V1', '-D', '-n', '-r', '22050', '-b', '16', square, 'synth', '30', 'square', '440', 'vol', '0.9']);
    await classifyFiles(page, [quoted, square]);
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#download-results')]);
    assert.equal(saved.suggestedFilename(), 'sonotype-results.csv');
    const [header, ...rows] = parseCsv(readFileSync(await saved.path(), 'utf8'));
    const genres = header.slice(6, -2);
    assert.deepEqual(header.slice(0, 6), ['file', 'path', 'genre', 'confidence', 'corrected_from', 'error']);
    assert.deepEqual(header.slice(-2), ['novelty', 'novel']);
    const cell = (row, name) => row[header.indexOf(name)];

    const chosen = [files.wav, corrupt, files.mp3, files.ogg, files.long, quoted, square].map((path) => basename(path));
    assert.deepEqual(rows.map((row) => row[1]), chosen.sort(), 'one row per file so far, in path order');
    for (const path of [files.wav, files.mp3, files.ogg, files.long, quoted, square]) {
      const row = rows.find((r) => r[0] === basename(path));
      const expected = classifyWithCli(path);
      assert.equal(row[2], expected.genre, row[0]);
      assert.equal(row[3], row[6 + genres.indexOf(row[2])], `${row[0]}: confidence is the genre's probability`);
      const tolerance = path.endsWith('.wav') ? WAV_TOLERANCE : DECODER_TOLERANCE;
      genres.forEach((genre, i) => assert.ok(Math.abs(Number(row[6 + i]) - expected.proba[i]) <= tolerance,
        `${row[0]} ${genre}: ${row[6 + i]} in the CSV, ${expected.proba[i]} from the command line`));
      assert.equal(cell(row, 'novel'), String(expected.novelty.novel), `${row[0]}: novel as the command line says`);
      const score = Number(cell(row, 'novelty'));
      assert.ok(Math.abs(score - expected.novelty.score) <= 1e-3 * expected.novelty.score + tolerance,
        `${row[0]}: novelty ${score} in the CSV, ${expected.novelty.score} from the command line`);
    }
    assert.equal(cell(rows.find((r) => r[0] === 'square.wav'), 'novel'), 'true', 'a square wave is not music');
    for (const path of [files.wav, files.mp3, files.ogg, files.long, quoted])
      assert.equal(cell(rows.find((r) => r[0] === basename(path)), 'novel'), 'false', `${basename(path)}: a dev clip is music`);
    const corruptRow = rows.find((r) => r[0] === 'jazz.00054.wav');
    assert.deepEqual(corruptRow.slice(2, 5), ['', '', '']);
    assert.match(corruptRow[5], /cannot decode the file/);
    assert.deepEqual(corruptRow.slice(-2), ['', ''], 'no novelty for a file that failed');
  });

  await t.test('refuses a 0.2-s clip, an empty WAV, silence, a NaN sample, a text file and a cut header, each on its own card; greys a silent stretch', async () => {
    const { good, bad, partlySilent } = makeBadFiles(work, files.wav);
    const results = await classifyFiles(page, [...Object.keys(bad), good, partlySilent]);
    for (const [i, expected] of Object.values(bad).entries()) {
      assert.equal(results[i].state, 'failed', results[i].file);
      assert.match(results[i].message, expected, results[i].file);
    }
    const [afterBad, thenSilence] = results.slice(-2);
    assert.equal(afterBad.state, 'done', 'the good file after them');
    assert.equal(afterBad.genre, classifyWithCli(good).genre);
    // Music, then silence: the silence is grey on the timeline and does not vote, as on the command line.
    const expected = classifyWithCli(partlySilent);
    assert.equal(thenSilence.genre, expected.genre);
    thenSilence.proba.forEach((p, i) => assert.ok(Math.abs(p - expected.proba[i]) <= WAV_TOLERANCE));
    assert.equal(thenSilence.silentWindows, 2, 'the last two of its four windows (at 0, 20, 40 and 60 s) are silent');
  });

  await t.test('a file chosen while the last one is being analysed is classified too', async () => {
    // 30 minutes: 60 windows, long enough to choose the next file during its analysis even with
    // many cores (this 2-core machine takes about 3 s).
    const song = join(work, 'half-hour.wav');
    execFileSync('sox', [...Array(20).fill(files.long), song]);
    await page.setInputFiles('#file-input', [song]);
    await page.waitForFunction(() => document.querySelector('.song-row[data-path="half-hour.wav"] .cell.genre')
      ?.textContent.startsWith('Analysing'));
    const chosenLater = join(work, 'chosen-later.wav');
    copyFileSync(files.wav, chosenLater);
    const [later] = await classifyFiles(page, [chosenLater]);
    assert.equal(later.state, 'done', later.message);
    assert.equal(await page.locator('.song-row[data-path="half-hour.wav"]').getAttribute('data-state'), 'done');
  });

  await t.test('decodes a 22050-Hz WAV bit for bit, as librosa.load reads it', async () => {
    const expected = readWav(files.wav).samples;
    const mismatches = await page.evaluate(async ({ wav, samples }) => {
      const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;
      const { decodeToMono } = await import('./decode.js');
      const decoded = await decodeToMono(fromBase64(wav));
      const want = new Float32Array(fromBase64(samples));
      if (decoded.length !== want.length) return `length ${decoded.length}, expected ${want.length}`;
      return decoded.filter((v, i) => !Object.is(v, want[i])).length;
    }, { wav: readFileSync(files.wav).toString('base64'), samples: Buffer.from(expected.buffer).toString('base64') });
    assert.equal(mismatches, 0);
  });

  await t.test('the result card is readable: verdict, bars, timeline, base models', async () => {
    await page.screenshot({ path: join(screenshots, 'page-light.png'), fullPage: true });
    const card = (await openDetail(page, 'blues.00000.wav')).locator('.card');
    await card.screenshot({ path: join(screenshots, 'blues.00000-card.png') });
    assert.equal(await card.locator('.bar').count(), 10);
    assert.equal(await card.locator('.timeline .segment').count(), 1);
    // The default model's top-level members, in scikit-learn's order (none for a single estimator).
    const { golden } = JSON.parse(readFileSync(join(requiredEnv('SONOTYPE_SOURCE_DIR'), 'models/gtzan.json'), 'utf8'));
    assert.deepEqual(await card.locator('.base-model').evaluateAll((items) => items.map((i) => i.dataset.model)),
      Object.keys(golden.base_proba ?? {}));
    assert.match(await card.locator('.verdict').innerText(), /^blues\s+\d+(\.\d)?% confident$/i);
    await closeDetail(page);
  });

  await t.test('fits a phone screen, in dark mode', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true });
    phone.on('request', (request) => requested.push(request.url()));
    const { page: small } = await openPage(phone, site.url);
    await classifyFiles(small, [files.ogg]);
    await small.screenshot({ path: join(screenshots, 'phone-dark.png'), fullPage: true });
    assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    await phone.close();
  });

  await t.test('loads a custom model, shows a clear error for a broken one, and goes back', async () => {
    const custom = join(work, 'tiny_poly.sono');
    execFileSync(cli, ['convert', join(sourceDir, 'tests/data/tiny_poly.json'), custom]);
    const broken = join(work, 'broken.sono');
    writeFileSync(broken, readFileSync(custom).subarray(0, 100));

    await page.setInputFiles('#model-input', custom);
    await page.locator('#model-status', { hasText: 'custom model “tiny_poly.sono”' }).waitFor();
    const [result] = await classifyFiles(page, [files.mp3]);
    assert.equal(result.state, 'done');

    await page.setInputFiles('#model-input', broken);
    const error = page.locator('#model-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), /Could not load “broken\.sono”: model blob: .+ The previous model is still in use\./);
    assert.match(await page.locator('#model-status').innerText(), /tiny_poly\.sono/);

    await page.click('#default-model');
    await page.locator('#model-status', { hasText: 'the default model' }).waitFor();
  });

  await t.test('its service worker leaves the caches of other sites on the same origin alone', async () => {
    // GitHub Pages serves all of a user's projects from one origin, and so one Cache Storage.
    const visitor = await browser.newContext();
    await visitor.route('**/favicon.ico', (route) => route.fulfill({ status: 404 }));  // asked for by the bare SVG
    try {
      const other = await visitor.newPage();
      await other.goto(new URL('icon.svg', site.url).href);  // the origin, before the page's worker exists
      await other.evaluate(async () => (await caches.open('another-project')).put('/another-project/x', new Response('x')));
      await other.goto(site.url);
      const names = await other.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        while (registration.active.state !== 'activated') await new Promise((r) => setTimeout(r, 50));
        return caches.keys();
      });
      assert.ok(names.some((name) => name.startsWith('sonotype@')), `the page's cache: ${names}`);
      assert.ok(names.includes('another-project'), `the other site's cache survived: ${names}`);
    } finally {
      await visitor.close();
    }
  });

  await t.test('works offline after the first visit', async () => {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      while (!(await caches.match(new URL('build/sonotype.wasm', location.href).href))) await new Promise((r) => setTimeout(r, 100));
    });
    await site.close();  // truly offline: nothing answers on the page's address any more
    await context.setOffline(true);
    await page.reload();
    await page.locator('#model-status', { hasText: 'Classifying with' }).waitFor({ timeout: 60_000 });
    const [result] = await classifyFiles(page, [files.wav]);
    assert.equal(result.state, 'done');
    assert.equal(result.genre, classifyWithCli(files.wav).genre);
    await page.screenshot({ path: join(screenshots, 'offline.png') });
  });

  await t.test('asked no other host for anything, and nothing outside its sub-path; raised no error', () => {
    const foreign = requested.filter((url) => !url.startsWith(site.url) && !/^(blob|data):/.test(url));
    assert.deepEqual(foreign, []);
    assert.ok(requested.length > 0, 'requests were recorded');
    assert.deepEqual(site.requests.filter((path) => !path.startsWith(new URL(site.url).pathname)), []);
    assert.deepEqual(errors.map(String), []);
  });
});
