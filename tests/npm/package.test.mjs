// The npm package as its users get it: tools/build-npm.sh packs it, and each consumer is a fresh
// project that installs the tarball. Every consumer's genre and probabilities are compared with
// `sonotype classify` on the same file:
//   1. pages bundled by Vite and by esbuild, served, classifying a WAV in Chromium;
//   2. a Node ESM script, on a WAV's bytes and on its PCM;
//   3. TypeScript consumers, a web app's and a Node program's, type-checked with tsc --noEmit;
//   4. a module Worker of the Vite page's own, and the package's Worker pool.
// Bad inputs fail on their own, with their own message. The test prints the tarball's size, the
// bundles' sizes and the cold start (module, model and first result) in Node and in Chromium.
// The bundlers and tsc come from tests/node_modules (tools/install-deps.sh installs them once).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { gzipSync } from 'node:zlib';

import { launchChromium } from '../browser/browser.mjs';
import { requiredEnv } from '../support/shared.mjs';
import { serveStatic } from '../../tools/static-server.mjs';

const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const wasmDir = requiredEnv('SONOTYPE_WASM_DIR');
const testsDir = join(sourceDir, 'tests');
const consumers = join(testsDir, 'npm/consumers');
const tool = (path) => join(testsDir, 'node_modules', path);

// Both builds read a WAV to the same samples; only their rounding differs.
const TOLERANCE = 1e-6;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

// 12 s of stereo 16-bit audio at 22050 Hz (and at 44100 Hz): two tones, a tremolo and clicks of
// noise every half second, so that every feature has something to measure. The name has spaces,
// a comma, an ampersand and a non-ASCII letter.
function makeAudio(dir) {
  const signal = '0.3*sin(2*PI*220*t)*(1+sin(2*PI*2*t))/2+0.2*sin(2*PI*330*t)+0.2*(random(0)*2-1)*lt(mod(t\\,0.5)\\,0.05)';
  const wav = (name, rate) => {
    const path = join(dir, name);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `aevalsrc=${signal}:s=${rate}:d=12`,
      '-ac', '2', '-c:a', 'pcm_s16le', path]);
    return path;
  };
  const notAudio = join(dir, 'not audio.wav');
  writeFileSync(notAudio, 'This is text, not a WAV file.\n');
  return { good: wav('chords & noise, ü.wav', 22050), otherRate: wav('at 44100 Hz.wav', 44100), notAudio };
}

// The command line's answer: {label, proba (label order)}.
function classifyWithCli(file) {
  const model = join(wasmDir, 'gtzan.sono');
  const { labels, files: [result] } = JSON.parse(execFileSync(cli, ['classify', '--json', '--model', model, file]).toString());
  return { label: result.genre, proba: labels.map((label) => result.proba[label]) };
}

// `sonotype features` of the whole file: the 57 numbers before its label column (counted from
// the end, as the quoted file name holds a comma).
function featuresWithCli(file) {
  const [, row] = execFileSync(cli, ['features', file]).toString().trim().split('\n');
  return row.split(',').slice(-58, -1).map(Number);
}

function assertSameAsCli(actual, expected, where) {
  assert.equal(actual.error, undefined, `${where}: ${actual.error}`);
  assert.equal(actual.label, expected.label, `${where}: the CLI's genre`);
  actual.proba.forEach((p, i) => assert.ok(Math.abs(p - expected.proba[i]) < TOLERANCE,
    `${where}: probability ${i} is ${p}, the CLI's ${expected.proba[i]}`));
}

// A fresh project with the tarball installed (no registry needed: the package has no dependencies).
function project(work, name, tarball) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--silent', tarball], { cwd: dir });
  return dir;
}

const copy = (from, names, to) => names.forEach((name) => copyFileSync(join(from, name), join(to, name)));

// Each file of a bundle with its size, and gzipped as a server would send it.
function sizes(dir) {
  return readdirSync(dir, { recursive: true }).filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return `${name} ${kb(bytes.length)} (${kb(gzipSync(bytes).length)} gzipped)`;
    }).join(', ');
}

const PAGE = (scripts) => `<!doctype html><meta charset="utf-8"><title>consumer</title>
<input type="file" id="files" multiple>${scripts.map((s) => `<script type="module" src="./${s}"></script>`).join('')}`;

// Opens `dist` in Chromium, chooses `files`, and resolves with what `calls` of window.consumer give.
async function inChromium(browser, dist, files, calls) {
  const site = await serveStatic(dist);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(site.url);
    await page.waitForFunction((names) => names.every((n) => window.consumer?.[n]), calls, { timeout: 60_000 });
    await page.setInputFiles('#files', files);
    const results = {};
    for (const call of calls) results[call] = await page.evaluate((name) => window.consumer[name](), call);
    assert.deepEqual(errors, [], 'no uncaught errors on the page');
    await page.close();
    return results;
  } finally {
    site.server.closeAllConnections();
    site.server.close();
  }
}

// Every file's result, checked: the good file as the CLI says, the text file refused on its own.
function assertFiles(results, cliAnswer, where) {
  assert.equal(results.length, 2, `${where}: one result per file`);
  const [good, bad] = results;
  assertSameAsCli(good, cliAnswer, `${where}, ${good.file}`);
  assert.equal(bad.file, 'not audio.wav');
  assert.match(bad.error, /^not audio\.wav: .*(decode|WAV)/, `${where}: the text file's own message`);
}

test('the npm package', { timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-npm-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const audio = makeAudio(work);
  const cliAnswer = classifyWithCli(audio.good);

  const tarball = execFileSync(join(sourceDir, 'tools/build-npm.sh'),
    { env: { ...process.env, NPM_OUT: join(work, 'npm') } }).toString().trim();
  console.log(`tarball ${tarball.split('/').at(-1)}: ${kb(statSync(tarball).size)}`);

  await t.test('the tarball holds the package and nothing else', () => {
    const listed = execFileSync('tar', ['-tzf', tarball]).toString().trim().split('\n').sort();
    const expected = ['LICENSE', 'README.md', 'package.json', 'api.js', 'audio.js', 'browser.js', 'decode.js', 'node.js',
      'pool.js', 'pool-worker.js', 'sonotype.js', 'wav.js', 'index.d.ts', 'pool.d.ts', 'sonotype.d.ts',
      'sonotype.wasm', 'gtzan.sono'].map((f) => `package/${f}`).sort();
    assert.deepEqual(listed, expected);
  });

  await t.test('Node ESM: a WAV and its PCM, as the CLI; bad inputs fail alone', () => {
    const dir = project(work, 'node-consumer', tarball);
    copy(consumers, ['node.mjs'], dir);
    const out = JSON.parse(execFileSync(process.execPath, ['node.mjs', audio.good, audio.otherRate,
      join(testsDir, 'support/wav.mjs')], { cwd: dir }).toString());
    console.log(`Node: cold start to the first result ${out.coldMs.toFixed(0)} ms`);
    assertSameAsCli(out.wav, cliAnswer, 'the WAV');
    assertSameAsCli(out.pcm, cliAnswer, 'the PCM');
    assertSameAsCli(out.afterErrors, cliAnswer, 'the WAV after the bad inputs');
    const cliFeatures = featuresWithCli(audio.good);
    assert.equal(out.features.length, 57);
    out.features.forEach((f, i) => assert.ok(Math.abs(f - cliFeatures[i]) <= 1e-5 * Math.max(1, Math.abs(cliFeatures[i])),
      `feature ${i} is ${f}, the CLI's ${cliFeatures[i]}`));
    assert.match(out.errors.notAudio, /Not a WAV file/);
    assertSameAsCli(out.otherRate, classifyWithCli(audio.otherRate), 'the WAV at 44.1 kHz, resampled as the CLI resamples');
    // similar() of the two songs, as `sonotype similar` finds them in a folder of the same files.
    const pair = join(work, 'similar');
    mkdirSync(pair);
    copyFileSync(audio.good, join(pair, 'a.wav'));
    copyFileSync(audio.otherRate, join(pair, 'b.wav'));
    const [cliLine] = execFileSync(cli, ['similar', join(pair, 'a.wav'), '--in', pair, '--model', join(wasmDir, 'gtzan.sono')])
      .toString().trim().split('\n');
    assert.equal(out.similar.length, 1);
    assert.equal(out.similar[0].index, 1);
    assert.match(cliLine, /b\.wav$/);
    assert.ok(Math.abs(out.similar[0].similarity - Number(cliLine.split(/\s+/)[0])) < 1e-5,
      `similarity ${out.similar[0].similarity}, the CLI's ${cliLine}`);
    assert.match(out.errors.tooShort, /at least .* \(3 s\)/);
    assert.match(out.errors.notPcm, /Float32Array/);
    assert.match(out.errors.badModel, /model/);
    assert.match(out.errors.disposed, /disposed/);
  });

  await t.test('TypeScript: a web app and a Node program type-check against the package (tsc --noEmit)', () => {
    const dir = project(work, 'typescript-consumer', tarball);
    copy(join(consumers, 'typescript'), ['consumer.ts', 'node-consumer.ts', 'tsconfig.json'], dir);
    const tsc = (project) => execFileSync(process.execPath, [tool('typescript/bin/tsc'), '-p', project], { cwd: dir, stdio: 'inherit' });
    tsc(dir);  // a web app: bundler resolution, the DOM's types
    // A Node program: nodenext resolution, Node's types (from tests/node_modules), no DOM.
    writeFileSync(join(dir, 'tsconfig.node.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext',
        lib: ['es2022'], types: ['node'], typeRoots: [tool('@types')] },
      files: ['node-consumer.ts'],
    }));
    tsc(join(dir, 'tsconfig.node.json'));
  });

  const browser = await launchChromium();
  t.after(() => browser.close());
  const files = [audio.good, audio.notAudio];

  await t.test('Vite: the page, its own module Worker and the pool, in Chromium, as the CLI', async () => {
    const dir = project(work, 'vite-consumer', tarball);
    copy(consumers, ['main.js', 'workers.js', 'worker.js'], dir);
    writeFileSync(join(dir, 'index.html'), PAGE(['main.js', 'workers.js']));
    execFileSync(process.execPath, [tool('vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: dir, stdio: 'inherit' });
    console.log(`Vite bundle: ${sizes(join(dir, 'dist'))}`);
    const results = await inChromium(browser, join(dir, 'dist'), files, ['classifyChosen', 'classifyInWorker', 'classifyInPool']);
    const { createMs, results: [first] } = results.classifyChosen;
    console.log(`Chromium (Vite): module and model ${createMs.toFixed(0)} ms, first result ${(createMs + first.ms).toFixed(0)} ms`);
    assertFiles(results.classifyChosen.results, cliAnswer, 'Vite, main thread');
    assertFiles(results.classifyInWorker, cliAnswer, 'Vite, own Worker');
    const [uncloneable, ...inPool] = results.classifyInPool;
    assert.match(uncloneable.error, /cannot be sent to a Worker/);
    assertFiles(inPool, cliAnswer, 'Vite, pool');
  });

  await t.test('esbuild: the page in Chromium, as the CLI', async () => {
    const dir = project(work, 'esbuild-consumer', tarball);
    copy(consumers, ['main.js'], dir);
    const dist = join(dir, 'dist');
    const { build } = await import(tool('esbuild/lib/main.js'));
    await build({ entryPoints: [join(dir, 'main.js')], bundle: true, format: 'esm', minify: true,
      outdir: dist, absWorkingDir: dir, logLevel: 'error' });
    // esbuild does not copy `new URL(…, import.meta.url)` assets: the README says to copy them.
    copy(join(dir, 'node_modules/sonotype'), ['sonotype.wasm', 'gtzan.sono'], dist);
    writeFileSync(join(dist, 'index.html'), PAGE(['main.js']));
    console.log(`esbuild bundle: ${sizes(dist)}`);
    const { classifyChosen } = await inChromium(browser, dist, files, ['classifyChosen']);
    assertFiles(classifyChosen.results, cliAnswer, 'esbuild');
  });
});
