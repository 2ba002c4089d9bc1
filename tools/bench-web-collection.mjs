// Measures the page on a collection (run by tools/bench-web.sh; prints figures, not a test): a
// folder of SONGS three-minute 44.1-kHz stereo MP3s chosen through the folder input, in headless
// Chromium with the default number of workers. Prints the songs per minute, the tab's peak
// memory (the resident memory of Chromium's renderer processes, where the page and its workers
// run, sampled every 250 ms; and the page's JavaScript heap, from the DevTools protocol) after
// the first quarter of the songs and over all of them (memory must not grow with the size of the
// collection), and, when the CLI is built, `sonotype classify -j N` on the same folder.
//   node tools/bench-web-collection.mjs [SONGS=100] [FOLDER=/tmp/sonotype-bench-collection]
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';

import { launchChromium, openPage } from '../tests/browser/browser.mjs';
import { serveStatic } from './static-server.mjs';

const root = resolve(import.meta.dirname, '..');
const SONGS = Number(process.argv[2] ?? 100);
const folder = resolve(process.argv[3] ?? '/tmp/sonotype-bench-collection');
const shared = resolve(process.env.SONOTYPE_SHARED_DIR ?? join(root, '../shared'));
const clips = join(shared, 'data/gtzan/dev_audio');
const DISTINCT = 5;  // encoded once each, then copied: the page reads every copy as its own song
const MB = 1024 * 1024;

// SONGS files in `folder`, ten to a subfolder: six clips in a row, 44.1 kHz stereo, 192 kbit/s.
function makeCollection() {
  const names = readdirSync(clips).filter((f) => f.endsWith('.wav') && f !== 'jazz.00054.wav').sort();
  const sources = [];
  mkdirSync(join(folder, '.sources'), { recursive: true });
  for (let i = 0; i < DISTINCT; i++) {
    const mp3 = join(folder, '.sources', `song-${i}.mp3`);
    sources.push(mp3);
    if (existsSync(mp3)) continue;
    const parts = Array.from({ length: 6 }, (_, k) => join(clips, names[(6 * i + k) % names.length]));
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...parts.flatMap((p) => ['-i', p]),
      '-filter_complex', `concat=n=6:v=0:a=1`, '-ar', '44100', '-ac', '2', '-b:a', '192k', `${mp3}.part.mp3`]);
    renameSync(`${mp3}.part.mp3`, mp3);  // an interrupted run leaves no half-written song
  }
  const songs = join(folder, `songs-${SONGS}`);
  for (let n = 0; n < SONGS; n++) {
    const dir = join(songs, `disc ${String(Math.floor(n / 10)).padStart(2, '0')}`);
    mkdirSync(dir, { recursive: true });
    const target = join(dir, `track ${String(n).padStart(3, '0')}.mp3`);
    if (!existsSync(target)) copyFileSync(sources[n % DISTINCT], target);
  }
  return songs;
}

// Resident memory of the renderer processes of the Chromium this script started, in bytes.
function rendererRss() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!cmdline.includes('--type=renderer')) continue;
      if (!isDescendant(Number(pid), process.pid)) continue;
      const rss = readFileSync(`/proc/${pid}/status`, 'latin1').match(/VmRSS:\s+(\d+) kB/);
      total += Number(rss[1]) * 1024;
    } catch {
      // a process that ended while being read
    }
  }
  return total;
}

function isDescendant(pid, ancestor) {
  for (let p = pid; p > 1;) {
    if (p === ancestor) return true;
    p = Number(readFileSync(`/proc/${p}/stat`, 'latin1').split(') ')[1].split(' ')[1]);
  }
  return false;
}

const songsDir = makeCollection();
const { server, url } = await serveStatic(join(root, 'web'));
const browser = await launchChromium();
try {
  const context = await browser.newContext();
  const { page } = await openPage(context, url);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const workers = await page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)));
  const peaks = { quarter: { rss: 0, heap: 0 }, all: { rss: 0, heap: 0 } };
  let done = 0;
  const sample = async () => {
    const rss = rendererRss();
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
    for (const [name, peak] of Object.entries(peaks)) {
      if (name === 'quarter' && done > SONGS / 4) continue;
      peak.rss = Math.max(peak.rss, rss);
      peak.heap = Math.max(peak.heap, heap);
    }
  };
  const started = performance.now();
  await page.setInputFiles('#folder-input', songsDir);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    done = await page.evaluate(() => Number(document.querySelector('#summary .run progress')?.value ?? 0));
    await sample();
    const finished = await page.evaluate(() => document.querySelector('#choice-status').textContent !== ''
      && document.querySelector('#summary .run').hidden);
    if (finished) break;
  }
  const minutes = (performance.now() - started) / 60_000;
  const counts = await page.locator('.summary-counts').innerText();
  console.log(`== Page: a folder of ${SONGS} three-minute 44.1-kHz stereo MP3s (${workers} workers, default)`);
  console.log(`${counts}`);
  console.log(`${(SONGS / minutes).toFixed(1)} songs per minute (${(60 * minutes).toFixed(1)} s from choosing the folder)   (target: >= 60)`);
  const mb = (bytes) => `${(bytes / MB).toFixed(0)} MB`;
  console.log(`peak renderer memory (RSS): ${mb(peaks.quarter.rss)} over the first ${SONGS / 4} songs, ${mb(peaks.all.rss)} over all ${SONGS}`);
  console.log(`peak page JS heap:          ${mb(peaks.quarter.heap)} over the first ${SONGS / 4} songs, ${mb(peaks.all.heap)} over all ${SONGS}`);
} finally {
  await browser.close();
  server.close();
}

const cli = join(root, 'build/native/sonotype');
if (existsSync(cli)) {
  const jobs = Math.min(cpus().length, 4);
  const started = performance.now();
  console.log(`\n== CLI: sonotype classify -j ${jobs} on the same folder`);
  try {
    execFileSync(cli, ['classify', '--jobs', String(jobs), songsDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const minutes = (performance.now() - started) / 60_000;
    console.log(`${(SONGS / minutes).toFixed(1)} songs per minute (${(60 * minutes).toFixed(1)} s)`);
  } catch (error) {
    console.log(`not measured: ${String(error.stderr ?? error.message).trim().split('\n')[0]}`);
  }
}
