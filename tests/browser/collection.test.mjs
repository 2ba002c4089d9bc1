// The page with a whole collection, in headless Chromium: a folder made at test time (nested
// subfolders; WAV, MP3, OGG and FLAC made from the GTZAN dev clips, three of them 3 minutes long;
// a name with spaces, quotes, a comma and non-ASCII letters; two files that are not audio; GTZAN's
// corrupt jazz.00054.wav) chosen through the folder input. The table must agree with
// `sonotype classify --format csv` on the same folder, the playlists with the table, "more like
// this" with `sonotype similar`; a correction and the collection must survive a reload, choosing
// the folder again must analyse nothing, and Cancel must keep the finished rows. Screenshots of
// the table and summary (desktop and phone widths) go to $SONOTYPE_BUILD_DIR/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';

import { parseCsv } from '../support/csv.mjs';
import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { choose, closeDetail, openDetail, openPage, startBrowser, tableRows } from './browser.mjs';

const shared = sharedDir();
const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const screenshots = join(requiredEnv('SONOTYPE_BUILD_DIR'), 'screenshots');
const model = join(sourceDir, 'web/build/gtzan.sono');
// WAV and FLAC agree to rounding (5e-7, the CLI's six decimals). The browser's MP3 and Vorbis
// decoders differ slightly from libsndfile's; mostly that is rounding too, but the default model's
// boosted trees turn a feature moved across a split into a step of a few hundredths (0.033 on
// one of these MP3s).
const TOLERANCE = { lossless: 1e-5, lossy: 0.05 };
const toleranceOf = (path) => (/\.(mp3|ogg)$/.test(path) ? TOLERANCE.lossy : TOLERANCE.lossless);
const FORMATS = ['wav', 'mp3', 'ogg', 'flac'];

// The collection, in `root`: {songs: {relative path: seconds}, notAudio: [paths], corrupt: path}.
function makeCollection(root) {
  const clips = join(shared, 'data/gtzan/dev_audio');
  const clip = (name) => join(clips, `${name}.wav`);
  const songs = {};
  const make = (relative, seconds, ...command) => {
    mkdirSync(dirname(join(root, relative)), { recursive: true });
    execFileSync(command[0], [...command.slice(1), join(root, relative)]);
    songs[relative] = seconds;
  };
  const names = readdirSync(clips).filter((f) => f.endsWith('.wav')).map((f) => f.slice(0, -4)).sort();
  names.filter((name) => name !== 'jazz.00054').forEach((name, i) => {
    const [genre, number] = name.split('.');
    const format = FORMATS[i % FORMATS.length];
    // Rock's last clips three folders down.
    const folder = genre === 'rock' && Number(number) >= 5 ? 'rock/live/1999' : genre;
    const encode = { wav: [], mp3: ['-c:a', 'libmp3lame', '-b:a', '128k'], ogg: ['-c:a', 'libvorbis', '-q:a', '5'], flac: [] }[format];
    make(`${folder}/${name}.${format}`, 30, 'ffmpeg', '-v', 'error', '-i', clip(name), ...encode);
  });
  // Three 3-minute songs: six clips in a row.
  const six = (names) => names.map(clip);
  make('long/side a.wav', 180, 'sox', ...six(['blues.00000', 'jazz.00001', 'jazz.00002', 'jazz.00003', 'blues.00000', 'jazz.00004']));
  const concat = (parts, encode) => ['ffmpeg', '-v', 'error', ...parts.flatMap((p) => ['-i', p]),
    '-filter_complex', `concat=n=${parts.length}:v=0:a=1`, ...encode];
  make('long/side b.mp3', 180, ...concat(six(['metal.00000', 'rock.00001', 'rock.00002', 'rock.00003', 'metal.00000', 'rock.00004']), ['-c:a', 'libmp3lame', '-b:a', '192k']));
  make('long/side c.flac', 180, ...concat(six(['classical.00001', 'classical.00002', 'classical.00003', 'classical.00004', 'classical.00005', 'classical.00006']), []));
  make('odd names/Blues, "live" – été.wav', 30, 'cp', clip('blues.00000'));
  const notAudio = ['notes.txt', 'rock/cover.jpg'];
  writeFileSync(join(root, notAudio[0]), 'Liner notes.\n');
  writeFileSync(join(root, notAudio[1]), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  const corrupt = 'jazz/jazz.00054.wav';
  copyFileSync(clip('jazz.00054'), join(root, corrupt));
  return { songs, notAudio, corrupt };
}

// `sonotype classify --format csv` on the folder: relative path -> {genre, proba} or {error}.
function classifyFolder(root) {
  // It exits with 1 because one file (the corrupt one) could not be classified; its table is whole.
  const run = spawnSync(cli, ['classify', '--format', 'csv', '--model', model, root], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const [header, ...rows] = parseCsv(run.stdout);
  const error = header.indexOf('error');  // after the genres' probabilities, before novelty and novel
  const labels = header.slice(4, error);
  return new Map(rows.map((row) => [row[0].slice(root.length + 1), row[error]
    ? { error: row[error] }
    : { genre: row[1], proba: labels.map((_, i) => Number(row[4 + i])) }]));
}

// `sonotype similar` of the song at `relative`: every other song, nearest first, [{path, similarity}].
function similarWithCli(root, relative) {
  // It exits with 1 because the corrupt song of the folder could not be read; the list is whole.
  const run = spawnSync(cli, ['similar', join(root, relative), '--in', root, '-n', '1000', '--model', model], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stdout.split('\n').filter(Boolean);
  return lines.map((line) => {
    const [, similarity, path] = line.match(/^\s*(\S+)\s+(.+)$/);
    return { path: path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path, similarity: Number(similarity) };
  });
}

// The .zip the page downloads -> {name: text}, read by Python's zipfile.
function unzip(path) {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c',
    'import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))',
    path]).toString());
}

async function downloadOf(page, button) {
  const [saved] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: saved.suggestedFilename(), path: await saved.path() };
}

test('a collection', { skip: !shared, timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-collection-'));
  const root = join(work, 'Music');
  mkdirSync(screenshots, { recursive: true });
  const { songs, notAudio, corrupt } = makeCollection(root);
  const paths = [...Object.keys(songs), corrupt];
  assert.ok(Object.keys(songs).length >= 40);
  const expected = classifyFolder(root);

  const { site, browser } = await startBrowser(t, sourceDir, work);

  await t.test('Cancel stops after the songs in progress and keeps the finished rows', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const { page } = await openPage(context, site.url);
    await page.setInputFiles('#folder-input', root);
    await page.waitForFunction(() => document.querySelectorAll('.song-row[data-state="done"]').length >= 2);
    await page.click('#cancel');
    await page.locator('#summary .run').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => !document.querySelector('.song-row:is([data-state="working"], [data-state="waiting"])'));
    const rows = await tableRows(page);
    const done = rows.filter((r) => r.state === 'done');
    assert.equal(rows.length, paths.length, 'every song keeps its row');
    assert.ok(done.length >= 2 && done.length < paths.length, `${done.length} done`);
    assert.ok(rows.every((r) => ['done', 'failed', 'cancelled'].includes(r.state)), rows.map((r) => r.state).join());
    for (const row of done) assert.equal(row.genre, expected.get(row.path).genre, row.path);
    assert.match(await page.locator('.summary-counts').innerText(), new RegExp(`${done.length} songs? analysed`));
    await context.close();
  });

  await t.test('without storage the page says so and works on; a file deleted after choosing fails its own row', async () => {
    const context = await browser.newContext();
    // As in a browser that refuses storage (private browsing, a full disk).
    await context.addInitScript(() => {
      IDBFactory.prototype.open = () => { throw new DOMException('storage is disabled', 'InvalidStateError'); };
    });
    const { page } = await openPage(context, site.url);
    const small = join(work, 'small');
    const names = ['a.wav', 'b.wav', 'c.wav', 'd.wav', 'e.wav', 'f.wav', 'z-deleted.wav'];
    mkdirSync(small);
    for (const name of names) copyFileSync(join(root, 'blues/blues.00000.wav'), join(small, name));
    await page.setInputFiles('#folder-input', small);
    rmSync(join(small, 'z-deleted.wav'));  // read last, long after this
    await page.waitForFunction(() => document.querySelector('#choice-status').textContent !== ''
      && document.querySelector('#summary .run').hidden && document.querySelectorAll('.song-row[data-state="done"]').length === 6);
    assert.match(await page.locator('#storage-error').innerText(), /cannot keep the collection \(InvalidStateError: storage is disabled\)/);
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r.state), ['done', 'done', 'done', 'done', 'done', 'done', 'failed']);
    assert.match(rows.at(-1).text, /moved or deleted after it was chosen/);
    await context.close();
  });

  await t.test('a dropped folder is read through its subfolders; an unreadable one is skipped and counted; a folder without audio says so', async () => {
    const context = await browser.newContext();
    const { page } = await openPage(context, site.url);
    // Entries as DataTransferItem.webkitGetAsEntry gives them (a real drag cannot be scripted):
    // readEntries answers in batches of two, and one subfolder refuses to be read.
    const chosen = await page.evaluate(async () => {
      const { fromDrop } = await import('./folder.js');
      const file = (fullPath, type) => ({ isFile: true, isDirectory: false, fullPath,
        file: (ok) => ok(new File(['x'], fullPath.split('/').at(-1), { type })) });
      const folder = (fullPath, children) => ({ isFile: false, isDirectory: true, fullPath, createReader: () => {
        let at = 0;
        return { readEntries: (ok, fail) => (children === null ? fail(new DOMException('denied', 'NotReadableError'))
          : ok(children.slice(at, (at += 2)))) };
      } });
      const tree = folder('/Music', [file('/Music/a.mp3', 'audio/mpeg'), folder('/Music/sub', [
        file('/Music/sub/b.flac', ''), file('/Music/sub/cover.jpg', 'image/jpeg'), folder('/Music/sub/deeper', [file('/Music/sub/deeper/c.ogg', '')]),
      ]), folder('/Music/locked', null), file('/Music/d.opus', '')]);
      const { songs, skipped } = await fromDrop({ items: [{ webkitGetAsEntry: () => tree }], files: [] });
      return { songs: songs.map((s) => s.path), skipped };
    });
    assert.deepEqual(chosen.songs, ['a.mp3', 'd.opus', 'sub/b.flac', 'sub/deeper/c.ogg']);
    assert.deepEqual(chosen.skipped, [{ path: 'sub/cover.jpg', reason: 'not audio' }, { path: 'locked', reason: 'could not be read' }]);

    const noAudio = join(work, 'no audio');
    mkdirSync(join(noAudio, 'scans'), { recursive: true });
    writeFileSync(join(noAudio, 'scans', 'booklet.pdf'), '%PDF-1.4\n');
    writeFileSync(join(noAudio, 'README'), 'Nothing to hear.\n');
    assert.equal(await choose(page, '#folder-input', noAudio), 'No audio there: 2 files skipped.');
    assert.equal(await page.locator('.summary-counts').innerText(), '0 songs analysed · 0 failed · 2 files skipped: not audio');
    await context.close();
  });

  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'light' });
  const { page, errors } = await openPage(context, site.url);

  await t.test('analyses every song of the folder as the command line does; skips what is not audio', async () => {
    const status = await choose(page, '#folder-input', root);
    assert.equal(status, `${paths.length} songs chosen: ${paths.length} to analyse, 0 already analysed.`);
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r.path).sort(), [...paths].sort(), 'one row per song');
    const names = rows.map((r) => r.path.split('/').at(-1));
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), 'sorted by name');
    for (const row of rows) {
      const cli = expected.get(row.path);
      if (row.path === corrupt) {
        assert.equal(row.state, 'failed');
        assert.match(row.text, /cannot decode the file/);
        assert.ok(cli.error, 'the command line cannot read it either');
        continue;
      }
      assert.equal(row.state, 'done', `${row.path}: ${row.text}`);
      assert.equal(row.genre, cli.genre, row.path);
      row.proba.forEach((p, i) => assert.ok(Math.abs(p - cli.proba[i]) <= toleranceOf(row.path),
        `${row.path}: probability ${i} is ${p} on the page, ${cli.proba[i]} on the command line`));
    }
    const counts = await page.locator('.summary-counts').innerText();
    assert.match(counts, new RegExp(`^${paths.length - 1} songs analysed · 1 failed · 2 files skipped: not audio`));
    const chart = await page.locator('.genre-chart .bar').evaluateAll((bars) => bars.map((b) => [b.dataset.label, Number(b.dataset.count)]));
    for (const [genre, n] of chart) assert.equal(n, rows.filter((r) => r.genre === genre).length, genre);
    assert.ok(notAudio.every((p) => !rows.some((r) => r.path === p)));
  });

  await t.test('sorts by any column, filters by genre, searches by name', async () => {
    await page.click('button[data-sort="confidence"]');
    let rows = await tableRows(page);
    const confidences = rows.filter((r) => r.proba).map((r) => Math.max(...r.proba));
    assert.deepEqual(confidences, [...confidences].sort((a, b) => a - b), 'ascending confidence');
    await page.click('button[data-sort="confidence"]');
    rows = await tableRows(page);
    assert.equal(rows.at(-1).path, corrupt, 'a song without a confidence sorts last either way');
    await page.click('button[data-sort="name"]');
    await page.selectOption('.genre-filter', 'classical');
    rows = await tableRows(page);
    assert.ok(rows.length > 0 && rows.every((r) => r.genre === 'classical'));
    await page.selectOption('.genre-filter', '');
    await page.fill('.song-search', 'ÉTÉ');
    rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r.path), ['odd names/Blues, "live" – été.wav']);
    await page.fill('.song-search', '');
  });

  await t.test('"more like this" lists the songs `sonotype similar` finds', async () => {
    for (const query of ['blues/blues.00000.wav', 'long/side b.mp3']) {
      const dialog = await openDetail(page, query);
      await dialog.locator('.similar-list li').first().waitFor();
      const shown = await dialog.locator('.similar-list li').evaluateAll((items) =>
        items.map((i) => ({ path: i.dataset.path, similarity: Number(i.dataset.similarity) })));
      await closeDetail(page);
      const all = similarWithCli(root, query);
      assert.equal(shown.length, 10);
      // Equal up to the decoders' differences: the same songs, in the same order wherever the
      // command line's similarities differ by more than those differences can move them.
      const slack = 0.005;
      for (const [i, { path, similarity }] of shown.entries()) {
        const cli = all.find((s) => s.path === path);
        assert.ok(cli, `${query}: ${path} is not among the command line's songs`);
        assert.ok(Math.abs(cli.similarity - similarity) <= slack, `${query}: ${path} ${similarity} on the page, ${cli.similarity} on the command line`);
        assert.ok(Math.abs(all[i].similarity - similarity) <= slack, `${query}: number ${i + 1} is ${path} (${similarity}), the command line's is ${all[i].path} (${all[i].similarity})`);
      }
    }
  });

  const corrected = 'classical/classical.00002.flac';
  await t.test('a correction shows on its row and goes into the playlists and the CSV', async () => {
    await openDetail(page, corrected);
    await page.selectOption('#detail select.correction', 'jazz');
    await closeDetail(page);
    await page.waitForFunction((path) => document.querySelector(`.song-row[data-path="${path}"]`)?.dataset.genre === 'jazz', corrected);
    const row = (await tableRows(page)).find((r) => r.path === corrected);
    assert.ok(row.corrected);
    assert.match(row.text, /jazz set by hand/i);

    const genreOf = (path) => (path === corrected ? 'jazz' : expected.get(path).genre);
    const zip = await downloadOf(page, '#download-playlists');
    assert.equal(zip.name, 'sonotype-playlists.zip');
    const playlists = unzip(zip.path);
    const genres = [...new Set(Object.keys(songs).map(genreOf))].sort();
    assert.deepEqual(Object.keys(playlists).sort(), genres.map((g) => `${g}.m3u8`));
    for (const genre of genres) {
      const lines = playlists[`${genre}.m3u8`].split('\n');
      assert.equal(lines[0], '#EXTM3U');
      const listed = lines.slice(1).filter((l) => l && !l.startsWith('#'));
      assert.deepEqual(listed, Object.keys(songs).filter((p) => genreOf(p) === genre).sort(), genre);
      for (const path of listed) {
        const info = lines[lines.indexOf(path) - 1];
        const title = path.split('/').at(-1).replace(/\.[^.]*$/, '');
        assert.equal(info, `#EXTINF:${songs[path]},${title}`);
      }
    }

    const csv = await downloadOf(page, '#download-results');
    const [header, ...rows] = parseCsv(readFileSync(csv.path, 'utf8'));
    assert.deepEqual(header.slice(0, 6), ['file', 'path', 'genre', 'confidence', 'corrected_from', 'error']);
    assert.deepEqual(rows.map((r) => r[1]), [...paths].sort());
    const correctedRow = rows.find((r) => r[1] === corrected);
    assert.deepEqual([correctedRow[2], correctedRow[4]], ['jazz', expected.get(corrected).genre]);
    const odd = rows.find((r) => r[1].startsWith('odd names/'));
    assert.equal(odd[0], 'Blues, "live" – été.wav');
  });

  await t.test('the table and summary are usable at desktop and phone widths', async () => {
    await page.screenshot({ path: join(screenshots, 'collection-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshots, 'collection-phone.png'), fullPage: true });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    const drawn = await page.locator('.song-row').count();
    assert.ok(drawn < paths.length, `only the rows in view are drawn (${drawn})`);
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  await t.test('2,000 songs: only the rows in view are drawn', async () => {
    const { drawn, last } = await page.evaluate(async () => {
      const { Collection } = await import('./collection.js');
      const { SongTable } = await import('./table.js');
      const root = document.querySelector('#collection').cloneNode(true);
      root.querySelector('.song-table-body').replaceChildren();
      root.hidden = false;
      document.body.append(root);
      const collection = new Collection();
      new SongTable(root, collection, () => {});  // redraws on the collection's changes
      const labels = ['blues', 'jazz'];
      for (let i = 0; i < 2000; i++) {
        const top = i % 2;
        collection.put({ path: `disc ${Math.floor(i / 20)}/track ${String(i).padStart(4, '0')}.mp3`, state: 'done', durationSeconds: 180,
          analysis: { label: labels[top], labels, top, proba: top ? [0.3, 0.7] : [0.6, 0.4] } });
      }
      await new Promise((resolve) => collection.addEventListener('change', resolve, { once: true }));
      const body = root.querySelector('.song-table-body');
      body.scrollTop = body.scrollHeight;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const rows = [...root.querySelectorAll('.song-row')];
      const result = { drawn: rows.length, last: rows.at(-1).dataset.path };
      root.remove();
      return result;
    });
    assert.ok(drawn < 60, `${drawn} rows drawn`);
    assert.equal(last, 'disc 99/track 1999.mp3', 'scrolled to the end, the last song is drawn');
  });

  await t.test('a reload keeps the collection and the correction; choosing the folder again analyses nothing', async () => {
    const before = await tableRows(page);
    await page.reload();
    await page.locator('#model-status', { hasText: 'Classifying with' }).waitFor({ timeout: 60_000 });
    await page.locator('.song-row').first().waitFor();
    assert.deepEqual(await tableRows(page), before);
    const status = await choose(page, '#folder-input', root);
    assert.equal(status, `${paths.length} songs chosen: 0 to analyse, ${paths.length} already analysed.`);
    assert.deepEqual(await tableRows(page), before);
    assert.ok((await tableRows(page)).find((r) => r.path === corrected).corrected);
  });

  await t.test('"Forget this collection" clears it, also after a reload', async () => {
    await page.click('#forget');
    await page.locator('#collection').waitFor({ state: 'hidden' });
    await page.reload();
    await page.locator('#model-status', { hasText: 'Classifying with' }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    assert.equal(await page.locator('.song-row').count(), 0);
    assert.deepEqual(errors.map(String), []);
  });
});
