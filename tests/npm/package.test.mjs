// The npm package as its users get it: tools/build-npm.sh packs it, and each consumer is a fresh
// project that installs the tarball. Every consumer's genre and probabilities are compared with
// `sonotype classify` on the same file:
//   1. pages bundled by Vite, webpack 5 and esbuild, served, classifying a WAV in Chromium;
//   2. Node ESM scripts, on a WAV's bytes and on its PCM, on FLAC files (the module's reader), and
//      training a personal model (checked against the module's own train() and the CLI);
//   3. TypeScript consumers, a web app's and a Node program's, type-checked with tsc --noEmit;
//   4. a module Worker of the Vite and webpack pages' own, and the package's Worker pool.
// Bad inputs fail on their own, with their own message. The test prints the tarball's size, the
// bundles' sizes and the cold start (module, model and first result) in Node and in Chromium.
// The projects and bundlers are tests/npm/consumer-projects.mjs (tools/bench-npm.mjs uses them too).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { launchChromium } from '../browser/browser.mjs';
import { requiredEnv } from '../support/shared.mjs';
import { loadSonotype } from '../support/sonotype.mjs';
import { readWav } from '../support/wav.mjs';
import { bundledConsumer, bundleFiles, bundlers, consumers, copy, describeFiles, inChromium, kb, project, tool } from './consumer-projects.mjs';

const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const wasmDir = requiredEnv('SONOTYPE_WASM_DIR');
const testsDir = join(sourceDir, 'tests');

// Both builds read a WAV to the same samples; only their rounding differs.
const TOLERANCE = 1e-6;

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
  const good = wav('chords & noise, ü.wav', 22050);
  const flac = join(dir, 'chords & noise, ü.flac');
  execFileSync('ffmpeg', ['-v', 'error', '-i', good, '-c:a', 'flac', flac]);
  return { good, flac, otherRate: wav('at 44100 Hz.wav', 44100), notAudio };
}

// FLAC files made by ffmpeg from a GTZAN dev clip (../shared; without it, and not under CI, from
// the synthetic WAV): 16-bit mono at 22050 Hz, 24-bit stereo at 44.1 kHz (resampled by the
// module), the 16-bit one behind an ID3v2 tag (as some taggers write it), and broken ones: a run
// of bytes overwritten in mid-file, the file cut short, and a FLAC signature followed by nothing
// valid.
function makeFlacs(dir, synthetic) {
  const shared = process.env.SONOTYPE_SHARED_DIR;
  let source = shared && join(shared, 'data/gtzan/dev_audio/jazz.00000.wav');
  if (!source || !existsSync(source)) {
    if (process.env.CI === 'true') throw new Error(`../shared is required under CI (SONOTYPE_SHARED_DIR=${shared})`);
    console.log('no ../shared: the FLAC files are made from the synthetic WAV');
    source = synthetic;
  }
  const flac = (name, args) => {
    const path = join(dir, name);
    execFileSync('ffmpeg', ['-v', 'error', '-i', source, ...args, '-c:a', 'flac', path]);
    return path;
  };
  const broken = (name, bytes) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const at22050 = flac('clip, 16 bit.flac', ['-ac', '1', '-ar', '22050', '-sample_fmt', 's16']);
  const at44100 = flac('clip, 24 bit stereo at 44.1 kHz.flac', ['-ac', '2', '-ar', '44100', '-sample_fmt', 's32']);
  const good = readFileSync(at22050);
  const middle = Math.floor(good.length / 2);
  const syncsafe = (n) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
  const frame = Buffer.concat([Buffer.from('TIT2'), syncsafe(6), Buffer.from([0, 0, 3]), Buffer.from('Blues'), Buffer.alloc(100)]);
  const id3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0]), syncsafe(frame.length), frame]);
  return {
    at22050, at44100,
    tagged: broken('clip, 16 bit, ID3-tagged.flac', Buffer.concat([id3, good])),
    damaged: broken('damaged.flac', Buffer.concat([good.subarray(0, middle), Buffer.alloc(4096, 0x55), good.subarray(middle + 4096)])),
    cutShort: broken('cut short.flac', good.subarray(0, middle)),
    headerOnly: broken('header only.flac', Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(64, 0xff)])),
  };
}

// The command line's answer: {label, proba (label order)}.
function classifyWithCli(file, model = join(wasmDir, 'gtzan.sono')) {
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

// Every file's result, checked: the WAV and the FLAC (the module's reader, in a window and in
// Workers) as the CLI says, the text file refused on its own.
function assertFiles(results, cliAnswers, where) {
  assert.equal(results.length, 3, `${where}: one result per file`);
  const [wav, flac, bad] = results;
  assertSameAsCli(wav, cliAnswers.wav, `${where}, ${wav.file}`);
  assertSameAsCli(flac, cliAnswers.flac, `${where}, ${flac.file}`);
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

  const nodeProject = project(work, 'node-consumer', tarball);
  copy(consumers, ['node.mjs', 'files.mjs', 'train.mjs'], nodeProject);

  await t.test('Node ESM: a WAV and its PCM, as the CLI; bad inputs fail alone', () => {
    const dir = nodeProject;
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
    assert.match(out.errors.notAudio, /Not a WAV or FLAC file/);
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

  await t.test('Node ESM: FLAC through the module, as the CLI reads it; damaged FLAC fails alone', () => {
    const flacs = makeFlacs(work, audio.good);
    const order = ['at22050', 'damaged', 'at44100', 'cutShort', 'headerOnly', 'tagged'];
    const results = JSON.parse(execFileSync(process.execPath, ['files.mjs', ...order.map((k) => flacs[k])], { cwd: nodeProject }).toString());
    const got = Object.fromEntries(order.map((k, i) => [k, results[i]]));
    assertSameAsCli(got.at22050, classifyWithCli(flacs.at22050), '16-bit FLAC');
    assertSameAsCli(got.at44100, classifyWithCli(flacs.at44100), '24-bit stereo FLAC at 44.1 kHz, resampled by the module');
    assertSameAsCli(got.tagged, classifyWithCli(flacs.tagged), 'FLAC behind an ID3v2 tag');
    assert.deepEqual(got.tagged.proba, got.at22050.proba, 'the tag changes nothing');
    assert.match(got.damaged.error, /^the FLAC file is damaged or cut short: \d+ of its \d+ samples decode$/);
    assert.match(got.cutShort.error, /^the FLAC file is damaged or cut short/);
    assert.match(got.headerOnly.error, /^not a FLAC file, or its header is damaged$/);
  });

  await t.test('train(): the module\'s own training, and a blob that create() and sonotype classify --model read', async () => {
    const fixturePath = join(testsDir, 'data/train_parity.json');
    const blobPath = join(work, 'mine.sono');
    const out = JSON.parse(execFileSync(process.execPath, ['train.mjs', fixturePath, audio.good, blobPath], { cwd: nodeProject }).toString());
    // The same songs given straight to the module: the fixture's rows, then the WAV's whole-song features.
    const fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
    const module = await loadSonotype(wasmDir);
    const wavFeatures = module.features(readWav(audio.good).samples).features;
    const { report } = module.train(new Float64Array([...fixture.X.flat(), ...wavFeatures]),
      [...fixture.y, 'blues'], [...fixture.songs, 'the WAV']);
    const comparable = ({ trainMs, ...rest }) => ({ ...rest, cvConfidence: Array.from(rest.cvConfidence) });
    assert.deepEqual(comparable(out.report), comparable(report));
    assert.deepEqual(out.labels, report.labels);
    assertSameAsCli(out.classified, classifyWithCli(audio.good, blobPath), 'the WAV by the trained model');
    assert.match(out.errors.oneGenre, /only one genre \('blues'\)/);
    assert.match(out.errors.shortRow, /^three numbers: expected its 57 features or its audio, got 3 values$/);
    assert.match(out.errors.badAudio, /^noise bytes: Not a WAV or FLAC file/);
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
  const files = [audio.good, audio.flac, audio.notAudio];
  const cliAnswers = { wav: cliAnswer, flac: classifyWithCli(audio.flac) };

  for (const name of Object.keys(bundlers)) {
    const calls = bundlers[name].workers ? ['classifyChosen', 'classifyInWorker', 'classifyInPool'] : ['classifyChosen'];
    const what = bundlers[name].workers ? 'the page, its own module Worker and the pool' : 'the page';
    await t.test(`${name}: ${what}, in Chromium, as the CLI`, async () => {
      const dist = await bundledConsumer(work, tarball, name);
      console.log(`${name} bundle: ${describeFiles(bundleFiles(dist))}`);
      const results = await inChromium(browser, dist, files, calls);
      const { createMs, results: [first] } = results.classifyChosen;
      console.log(`Chromium (${name}): module and model ${createMs.toFixed(0)} ms, first result ${(createMs + first.ms).toFixed(0)} ms`);
      assertFiles(results.classifyChosen.results, cliAnswers, `${name}, main thread`);
      if (!bundlers[name].workers) return;
      assertFiles(results.classifyInWorker, cliAnswers, `${name}, own Worker`);
      const [uncloneable, ...inPool] = results.classifyInPool;
      assert.match(uncloneable.error, /cannot be sent to a Worker/);
      assertFiles(inPool, cliAnswers, `${name}, pool`);
    });
  }
});
