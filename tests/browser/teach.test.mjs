// The teach view in headless Chromium: a folder of genres made at test time from MER-4Q clips
// (AllMusic genres, two of which GTZAN lacks: Electronic and R&B), grown step by step so that each
// step analyses only the new songs. With one genre, then with a genre of two songs, Train must
// refuse and say why; with four genres of five songs it trains, shows the cross-validated
// accuracy, the confusions and the songs it is least sure of, and the collection is classified
// again with the personal model. The downloaded .sono must give `sonotype classify --model` the
// table's genres (probabilities within 0.02), and `sonotype train` on the same folder must find
// the same cross-validated accuracy. The GTZAN model is one click away, a correction counts as an
// example, a reload keeps the model in use, and the same song in two genre folders is refused.
// Screenshots of the teach view (desktop and phone widths) and of the summary under the personal
// model go to $SONOTYPE_BUILD_DIR/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { parseCsv } from '../support/csv.mjs';
import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { choose, closeDetail, openDetail, openPage, startBrowser, tableRows } from './browser.mjs';

const shared = sharedDir();
const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const screenshots = join(requiredEnv('SONOTYPE_BUILD_DIR'), 'screenshots');
const TOLERANCE = 0.02;
const SECONDS = 15;  // of each clip: enough for the features, quick to analyse

// MER-4Q clips of an AllMusic genre, in labels.csv order.
function clipsOf(genre) {
  const [header, ...rows] = parseCsv(readFileSync(join(shared, 'data/mer4q/labels.csv'), 'utf8'));
  const file = header.indexOf('file');
  const allmusic = header.indexOf('allmusic_genre');
  return rows.filter((r) => r[allmusic] === genre).map((r) => join(shared, 'data/mer4q', r[file]));
}

// Writes the first SECONDS of `clip` as 22050-Hz mono WAV (decoded alike by Chromium and the CLI).
function wav(clip, path) {
  execFileSync('ffmpeg', ['-v', 'error', '-i', clip, '-t', String(SECONDS), '-ac', '1', '-ar', '22050', path]);
}

// Adds songs `from`..`to` (exclusive) of each genre to the folder `root/genre/`.
function addSongs(root, genres, from, to) {
  for (const genre of genres) {
    mkdirSync(join(root, genre), { recursive: true });
    clipsOf(genre).slice(from, to).forEach((clip, i) => wav(clip, join(root, genre, `${genre} song ${from + i + 1}.wav`)));
  }
}

async function train(page) {
  await page.evaluate(() => { document.querySelector('#teach .teach-error').hidden = true; });
  await page.click('#train');
  await page.waitForFunction(() => !document.querySelector('#teach .teach-error').hidden
    || !document.querySelector('#train').disabled);
}

const teachError = (page) => page.evaluate(() => {
  const error = document.querySelector('#teach .teach-error');
  return error.hidden ? null : error.textContent;
});

// `sonotype classify --format csv --model blob` on the folder: relative path -> {genre, proba by label}.
function classifyFolder(root, blob, labels) {
  const run = spawnSync(cli, ['classify', '--format', 'csv', '--model', blob, root], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const [header, ...rows] = parseCsv(run.stdout);
  const column = (name) => header.indexOf(name);
  return new Map(rows.map((row) => [row[column('path')].slice(root.length + 1),
    { genre: row[column('genre')], proba: labels.map((label) => Number(row[column(label)])) }]));
}

// Waits until every analysed row of the table was classified by a model of `labels.length` genres.
const reclassifiedUnder = (page, count) => page.waitForFunction((n) => [...document.querySelectorAll('.song-row[data-state="done"]')]
  .every((row) => JSON.parse(row.dataset.proba).length === n), count);

test('teaching the page genres of one\'s own', { skip: !shared, timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-teach-'));
  const root = join(work, 'My genres');
  mkdirSync(screenshots, { recursive: true });
  const { site, browser } = await startBrowser(t, sourceDir, work);
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
  const { page, errors } = await openPage(context, site.url);
  const chooseFolder = () => choose(page, '#teach-folder-input', root);

  await t.test('a folder without audio in subfolders is refused, naming the folder', async () => {
    const empty = join(work, 'Empty');
    mkdirSync(join(empty, 'Notes'), { recursive: true });
    writeFileSync(join(empty, 'Notes/readme.txt'), 'Not music.\n');
    await page.setInputFiles('#teach-folder-input', empty);
    await page.locator('#teach .teach-error:not([hidden])').waitFor();
    assert.match(await teachError(page), /“Empty” has no audio in subfolders\. Make one subfolder per genre/);
  });

  await t.test('one genre is not enough: Train says a model needs three', async () => {
    addSongs(root, ['Electronic'], 0, 5);
    wav(clipsOf('Latin')[0], join(root, 'loose song.wav'));  // outside any genre folder
    await chooseFolder();
    assert.match(await teachError(page), /1 song of “My genres” lies outside any genre subfolder and teaches nothing: loose song\.wav/);
    await train(page);
    assert.match(await teachError(page), /only one genre \('Electronic'\): a model needs at least 3 genres/);
  });

  await t.test('a genre of two songs is refused, and its chip asks for one more', async () => {
    addSongs(root, ['Reggae'], 0, 5);
    addSongs(root, ['Jazz'], 0, 2);
    assert.match(await chooseFolder(), /7 to analyse/);  // only the new songs
    assert.equal(await page.locator('.teach-genres li[data-genre="Jazz"]').innerText(), 'Jazz: 2 songs (needs 1 more)');
    await train(page);
    assert.match(await teachError(page), /genre 'Jazz' has 2 songs; each genre needs at least 3/);
  });

  const genres = ['Electronic', 'Jazz', 'R&B', 'Reggae'];
  let report;
  await t.test('four genres of five songs: trained, reported and the collection reclassified', async () => {
    addSongs(root, ['Jazz'], 2, 5);
    addSongs(root, ['R&B'], 0, 5);
    assert.match(await chooseFolder(), /8 to analyse/);
    assert.match(await page.locator('#teach .teach-status').innerText(), /^20 songs in 4 genres to learn from/);
    await train(page);
    assert.equal(await teachError(page), null);
    await page.locator('#model-in-use', { hasText: 'your own model' }).waitFor();
    await reclassifiedUnder(page, 4);
    report = await page.evaluate(() => ({
      accuracy: document.querySelector('.teach-accuracy').textContent,
      perGenre: [...document.querySelectorAll('.teach-per-genre .bar')].map((b) => ({ label: b.dataset.label, right: Number(b.dataset.right) })),
      matrix: [...document.querySelectorAll('table.confusion tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))),
      unsure: document.querySelectorAll('.teach-unsure li').length,
      status: document.querySelector('#model-status').textContent,
    }));
    t.diagnostic(`the page: ${report.accuracy}`);  // the training time, for the record
    assert.deepEqual(report.perGenre.map((g) => g.label), genres);
    assert.deepEqual(report.matrix.map((row) => row.reduce((a, b) => a + b, 0)), [5, 5, 5, 5]);
    report.perGenre.forEach(({ right }, g) => assert.equal(right, report.matrix[g][g] / 5));
    assert.equal(report.unsure, 8);
    assert.match(report.status, /your own model .*4 genres \(Electronic, Jazz, R&B, Reggae\)/);
    assert.deepEqual(errors, []);
    await page.locator('#teach').screenshot({ path: join(screenshots, 'teach-desktop.png') });
    await page.locator('#summary').screenshot({ path: join(screenshots, 'teach-summary.png') });
  });

  await t.test('the downloaded model gives the CLI the table\'s genres, and the CLI trains alike', async () => {
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#download-model')]);
    assert.equal(saved.suggestedFilename(), 'my-genres.sono');
    const blob = join(work, 'mine.sono');
    await saved.saveAs(blob);
    const expected = classifyFolder(root, blob, genres);
    const rows = (await tableRows(page)).filter((r) => r.state === 'done');
    assert.equal(rows.length, 21);
    for (const row of rows) {
      const cli = expected.get(row.path);
      assert.ok(cli, row.path);
      assert.equal(row.genre, cli.genre, row.path);
      row.proba.forEach((p, i) => assert.ok(Math.abs(p - cli.proba[i]) <= TOLERANCE, `${row.path} ${genres[i]}: ${p} vs ${cli.proba[i]}`));
    }
    const trained = execFileSync(cli, ['train', root, '-o', join(work, 'cli.sono')], { encoding: 'utf8' });
    const cliAccuracy = Number(trained.match(/^Chosen: .*, cross-validated accuracy ([\d.]+)$/m)[1]);
    const pageAccuracy = Number(report.accuracy.match(/^(\d+)% right/)[1]) / 100;
    assert.ok(Math.abs(pageAccuracy - cliAccuracy) <= 0.01, `page ${pageAccuracy}, CLI ${cliAccuracy}`);
  });

  await t.test('the GTZAN model is one click away, and the own model one more', async () => {
    await page.click('#default-model');
    await page.locator('#model-in-use', { hasText: 'the default model' }).waitFor();
    await reclassifiedUnder(page, 10);
    await page.click('#use-personal');
    await page.locator('#model-in-use', { hasText: 'your own model' }).waitFor();
    await reclassifiedUnder(page, 4);
  });

  await t.test('a genre set by hand in the collection is one more example', async () => {
    const dialog = await openDetail(page, 'loose song.wav');
    await dialog.locator('input.new-genre').fill('Latin');
    await dialog.locator('.new-genre-row button').click();
    await closeDetail(page);
    await page.locator('.teach-genres li[data-genre="Latin"]', { hasText: 'Latin: 1 song (needs 2 more)' }).waitFor();
    assert.match(await page.locator('#teach .teach-status').innerText(), /^21 songs in 5 genres/);
  });

  await t.test('a reload keeps the model in use and its report', async () => {
    await page.reload();
    await page.locator('#model-in-use', { hasText: 'your own model' }).waitFor({ timeout: 60_000 });
    await page.locator('.teach-report:not([hidden]) .teach-accuracy').waitFor();
    assert.equal(await page.locator('.teach-accuracy').textContent(), report.accuracy);
    await page.setViewportSize({ width: 390, height: 900 });
    await page.locator('#teach').screenshot({ path: join(screenshots, 'teach-phone.png') });
  });

  await t.test('the same song in two genre folders is refused as labelled twice', async () => {
    copyFileSync(join(root, 'Reggae/Reggae song 1.wav'), join(root, 'Jazz/Reggae song 1.wav'));
    assert.match(await chooseFolder(), /1 to analyse/);
    await train(page);
    assert.equal(await teachError(page),
      '“Jazz/Reggae song 1.wav” and “Reggae/Reggae song 1.wav” are the same song, labelled twice (as “Jazz” and as “Reggae”): remove one of them.');
    assert.deepEqual(errors, []);
  });
});
