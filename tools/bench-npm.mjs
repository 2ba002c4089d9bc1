// The npm package's figures (prints them; not a test): the tarball's size, the bundles Vite,
// webpack 5 and esbuild make of the web consumer (tests/npm/consumers/main.js), and the cold start
// to the first result (a fresh process or browser context: the module instantiated, the default
// model loaded, a 30-s GTZAN clip classified), the median of RUNS, in Node and in Chromium.
//   node tools/bench-npm.mjs [RUNS]   (tools/bench-npm.sh builds the module first)
//   SONOTYPE_SHARED_DIR (default ../shared) holds the clip.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { launchChromium } from '../tests/browser/browser.mjs';
import { bundledConsumer, bundleFiles, bundlers, describeFiles, inChromium, kb, project } from '../tests/npm/consumer-projects.mjs';

const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 5);
const clip = join(resolve(process.env.SONOTYPE_SHARED_DIR ?? join(root, '../shared')), 'data/gtzan/dev_audio/jazz.00000.wav');
if (!existsSync(clip)) throw new Error(`${clip} is missing: set SONOTYPE_SHARED_DIR`);
const work = join(root, 'build/bench-npm');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => `median ${median(values).toFixed(0)} ms (fastest ${Math.min(...values).toFixed(0)} ms, ${values.length} runs)`;

const tarball = execFileSync(join(root, 'tools/build-npm.sh'), { env: { ...process.env, NPM_OUT: join(work, 'npm') } }).toString().trim();
console.log(`load average ${execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ')}`);
console.log(`tarball ${tarball.split('/').at(-1)}: ${kb(statSync(tarball).size)}`);

// Node: a fresh process per run, from import to the first result.
const node = project(work, 'node-cold-start', tarball);
writeFileSync(join(node, 'cold.mjs'), `import { readFile } from 'node:fs/promises';
const started = performance.now();
const { Sonotype } = await import('sonotype');
const sonotype = await Sonotype.create();
const createMs = performance.now() - started;
const { label } = await sonotype.classify(await readFile(process.argv[2]));
console.log(JSON.stringify({ createMs, firstMs: performance.now() - started, label }));
`);
const nodeRuns = Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, ['cold.mjs', clip], { cwd: node }).toString()));
console.log(`Node: module and model ${spread(nodeRuns.map((r) => r.createMs))}; first result ${spread(nodeRuns.map((r) => r.firstMs))}`);

// Chromium: each bundle, served on loopback, in a fresh browser context (no cache) per run.
const browser = await launchChromium();
try {
  for (const name of Object.keys(bundlers)) {
    const dist = await bundledConsumer(work, tarball, name);
    const files = bundleFiles(dist);
    const total = (key) => files.reduce((sum, f) => sum + f[key], 0);
    console.log(`${name} bundle: ${kb(total('bytes'))} (${kb(total('gzipped'))} gzipped): ${describeFiles(files)}`);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { classifyChosen: { createMs, results: [first] } } = await inChromium(browser, dist, [clip], ['classifyChosen']);
      if (first.error) throw new Error(`${name}: ${first.error}`);
      runs.push({ createMs, firstMs: createMs + first.ms });
    }
    console.log(`Chromium (${name}): module and model ${spread(runs.map((r) => r.createMs))}; first result ${spread(runs.map((r) => r.firstMs))}`);
  }
} finally {
  await browser.close();
}
