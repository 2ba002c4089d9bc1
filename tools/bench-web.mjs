// Measures the page in headless Chromium; run by tools/bench-web.sh, which builds both modules.
//   node tools/bench-web.mjs SCALAR_BUILD_DIR [FFT_FLOOR_JS]
// Serves the repository root on loopback so that one page can import both builds.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

import { classifyFiles, launchChromium, openPage } from '../tests/browser/browser.mjs';
import { serveStatic } from './static-server.mjs';

const root = resolve(import.meta.dirname, '..');
const scalarDir = resolve(process.argv[2] ?? 'build/wasm-scalar/web-build');
const fftFloor = resolve(process.argv[3] ?? 'build/wasm/sonotype_fft_floor.js');
const shared = resolve(process.env.SONOTYPE_SHARED_DIR ?? join(root, '../shared'));
const clips = join(shared, 'data/gtzan/dev_audio');
const work = join(root, 'build/bench');
const RUNS = 11;  // shared machines are noisy: the median, and the fastest run as the machine's best

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

// A 3-minute song as people have them: six clips in a row, 44.1 kHz stereo MP3 at 192 kbit/s.
function makeThreeMinuteMp3() {
  const mp3 = join(work, 'three-minutes.mp3');
  const parts = ['blues', 'classical', 'country', 'disco', 'jazz', 'rock'].map((g) => join(clips, `${g}.00000.wav`));
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...parts.flatMap((p) => ['-i', p]),
    '-filter_complex', `concat=n=${parts.length}:v=0:a=1`, '-ar', '44100', '-ac', '2', '-b:a', '192k', mp3]);
  return mp3;
}

// Median wall time of analyse() on a 30-s clip, in the page's main thread (the workers run the
// same engine), after one warm-up run.
async function timeModule(page, moduleUrl, clipUrl) {
  return page.evaluate(async ({ moduleUrl, clipUrl, runs }) => {
    const { default: createSonotype } = await import(moduleUrl);
    const { decodeToMono } = await import('/web/decode.js');
    const sonotype = await createSonotype();
    sonotype.loadModel(new Uint8Array(await (await fetch('/web/build/gtzan.sono')).arrayBuffer()));
    const samples = await decodeToMono(await (await fetch(clipUrl)).arrayBuffer(), sonotype.resample);
    sonotype.analyse(samples);
    const runsMs = [];
    let last;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      last = sonotype.analyse(samples);
      runsMs.push(performance.now() - started);
    }
    return { runsMs, timings: last.timings, seconds: samples.length / 22050 };
  }, { moduleUrl, clipUrl, runs: RUNS });
}

// Median wall time of the module's resample() (librosa.load's kaiser_best resampling) of 3 minutes
// of 44.1-kHz mono to 22050 Hz, in the page's main thread, after one warm-up run.
async function timeResample(page) {
  return page.evaluate(async (runs) => {
    const { default: createSonotype } = await import('/web/build/sonotype.js');
    const sonotype = await createSonotype();
    const samples = new Float32Array(180 * 44100).map((_, i) => 0.3 * Math.sin(i * 0.0627) + 0.001 * (i % 201));
    sonotype.resample(samples, 44100, 22050);
    const runsMs = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      sonotype.resample(samples, 44100, 22050);
      runsMs.push(performance.now() - started);
    }
    return runsMs;
  }, 5);
}

function simdInstructions(wasm) {
  const listing = execFileSync('wasm-objdump', ['-d', wasm], { maxBuffer: 1 << 30 }).toString();
  return listing.split('\n').filter((line) => line.includes('v128')).length;
}

mkdirSync(work, { recursive: true });
// The floor under the WASM time while the FFT is KissFFT (tools/cli/bench_timing.h), measured before
// Chromium starts so that nothing else runs.
const kissFftAlone = execFileSync('node', [fftFloor]).toString().trim();
const mp3 = makeThreeMinuteMp3();
const { server, url } = await serveStatic(root);
const browser = await launchChromium();
try {
  const context = await browser.newContext();
  const { page } = await openPage(context, `${url}web/`);
  const clipUrl = `/${relative(root, join(work, 'clip.wav'))}`;
  execFileSync('cp', [join(clips, 'blues.00000.wav'), join(work, 'clip.wav')]);

  console.log('== WASM: 57 features + classification of a 30-s clip (blues.00000), median of', RUNS);
  const simd = await timeModule(page, '/web/build/sonotype.js', clipUrl);
  const scalar = await timeModule(page, `/${relative(root, scalarDir)}/sonotype.js`, clipUrl);
  for (const [name, r] of [['SIMD', simd], ['scalar', scalar]]) {
    const t = r.timings;
    console.log(`${name.padEnd(7)} ${ms(median(r.runsMs))} (fastest ${ms(Math.min(...r.runsMs))})   (last run: features ${ms(t.features)} = stft ${ms(t.stft)},`
      + ` spectral ${ms(t.spectral)}, chroma ${ms(t.chroma)}, mfcc ${ms(t.mfcc)}, hpss ${ms(t.hpss)},`
      + ` tempo ${ms(t.tempo)}; classification ${ms(t.classify)})`);
  }
  console.log(`SIMD speed-up: ${(median(scalar.runsMs) / median(simd.runsMs)).toFixed(2)}x   (target: <= 40 ms with SIMD)`);
  console.log(`of which KissFFT alone, in Node: ${kissFftAlone}`);

  const resampleMs = await timeResample(page);
  console.log(`\n== WASM: resampling 3 minutes of 44.1-kHz mono to 22050 Hz (kaiser_best), median of ${resampleMs.length}`);
  console.log(`${ms(median(resampleMs))} (fastest ${ms(Math.min(...resampleMs))})   (target: <= 300 ms)`);

  console.log('\n== Page: choosing a 3-minute 44.1-kHz stereo MP3 until its result shows (decode + resample + analyse)');
  // A copy per run: the page does not analyse a song it already has again.
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const copy = join(work, `three-minutes-${i}.mp3`);
    copyFileSync(mp3, copy);
    runs.push((await classifyFiles(page, [copy]))[0]);
  }
  console.log(`runs: ${runs.map((r) => `${ms(r.totalMs)} (decoding ${ms(r.decodeMs)})`).join(', ')}`);
  console.log(`median ${ms(median(runs.map((r) => r.totalMs)))}   (target: <= 1000 ms)`);

  console.log('\n== Download: what a first visit transfers for the classifier, gzip -9');
  let total = 0;
  for (const file of ['sonotype.js', 'sonotype.wasm', 'gtzan.sono']) {
    const bytes = readFileSync(join(root, 'web/build', file));
    const gz = gzipSync(bytes, { level: 9 }).length;
    total += gz;
    console.log(`${file.padEnd(14)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  gzipped ${(gz / 1024).toFixed(1).padStart(7)} KB`);
  }
  console.log(`total gzipped  ${(total / 1024).toFixed(1)} KB   (target: <= 300 KB)`);

  console.log('\n== SIMD instructions (wasm-objdump -d | grep -c v128)');
  console.log(`SIMD build ${simdInstructions(join(root, 'web/build/sonotype.wasm'))}, scalar build ${simdInstructions(join(scalarDir, 'sonotype.wasm'))}`);
} finally {
  await browser.close();
  server.close();
}
