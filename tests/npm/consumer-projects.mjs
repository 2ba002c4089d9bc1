// The npm package's consumer projects, shared by tests/npm/package.test.mjs and tools/bench-npm.mjs:
// fresh projects with the tarball installed, the web consumer (consumers/main.js, plus the Worker
// consumers where the bundler bundles Workers) built by Vite, webpack 5 or esbuild into a folder
// to serve, and that folder opened in Chromium. The bundlers come from tests/node_modules
// (tools/install-deps.sh installs them).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { serveStatic } from '../../tools/static-server.mjs';

export const consumers = join(import.meta.dirname, 'consumers');
export const tool = (path) => join(import.meta.dirname, '../node_modules', path);
export const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

// A fresh project with the tarball installed (no registry needed: the package has no
// dependencies). npm installs it once per tarball; later projects get a copy of that install.
const installed = new Map();  // tarball -> the first project installed from it
export function project(work, name, tarball) {
  const dir = join(work, name);
  mkdirSync(dir);
  const first = installed.get(tarball);
  if (first) {
    for (const entry of ['package.json', 'package-lock.json', 'node_modules']) cpSync(join(first, entry), join(dir, entry), { recursive: true });
    return dir;
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--silent', tarball], { cwd: dir });
  installed.set(tarball, dir);
  return dir;
}

export const copy = (from, names, to) => names.forEach((name) => copyFileSync(join(from, name), join(to, name)));

// Each file of a bundle: {name, bytes, gzipped (as a server would send it)}.
export function bundleFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return { name, bytes: bytes.length, gzipped: gzipSync(bytes).length };
    });
}

export const describeFiles = (files) => files.map((f) => `${f.name} ${kb(f.bytes)} (${kb(f.gzipped)} gzipped)`).join(', ');

const PAGE = (scripts) => `<!doctype html><meta charset="utf-8"><title>consumer</title>
<input type="file" id="files" multiple>${scripts.map((s) => `<script type="module" src="./${s}"></script>`).join('')}`;

// Each bundler builds the project in `dir` into dir/dist. `workers`: whether the page has the
// Worker consumers too (esbuild does not bundle Workers).
export const bundlers = {
  Vite: {
    workers: true,
    async build(dir) {
      writeFileSync(join(dir, 'index.html'), PAGE(['main.js', 'workers.js']));
      execFileSync(process.execPath, [tool('vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: dir, stdio: 'inherit' });
    },
  },
  webpack: {
    workers: true,
    // webpack 5 emits `new URL('./…', import.meta.url)` files as asset modules and Workers as
    // chunks, with no configuration beyond the entry.
    async build(dir) {
      writeFileSync(join(dir, 'index.js'), "import './main.js';\nimport './workers.js';\n");
      const { default: webpack } = await import(tool('webpack/lib/index.js'));
      const stats = await new Promise((resolve, reject) => webpack({
        mode: 'production', context: dir, entry: { main: './index.js' }, output: { path: join(dir, 'dist') },
        performance: { hints: false }, infrastructureLogging: { level: 'error' },
      }, (error, result) => (error ? reject(error) : resolve(result))));
      assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
      writeFileSync(join(dir, 'dist/index.html'), PAGE(['main.js']));
    },
  },
  esbuild: {
    workers: false,
    async build(dir) {
      const dist = join(dir, 'dist');
      const { build } = await import(tool('esbuild/lib/main.js'));
      await build({ entryPoints: [join(dir, 'main.js')], bundle: true, format: 'esm', minify: true,
        outdir: dist, absWorkingDir: dir, logLevel: 'error' });
      // esbuild does not copy `new URL(…, import.meta.url)` assets: the README says to copy them.
      copy(join(dir, 'node_modules/sonotype'), ['sonotype.wasm', 'gtzan.sono'], dist);
      writeFileSync(join(dist, 'index.html'), PAGE(['main.js']));
    },
  },
};

// The web consumer bundled by `name` (a key of bundlers) in a fresh project: its dist folder.
export async function bundledConsumer(work, tarball, name) {
  const bundler = bundlers[name];
  const dir = project(work, `${name.toLowerCase()}-consumer`, tarball);
  copy(consumers, bundler.workers ? ['main.js', 'workers.js', 'worker.js'] : ['main.js'], dir);
  await bundler.build(dir);
  return join(dir, 'dist');
}

// Opens `dist` in Chromium, chooses `files`, and resolves with what `calls` of window.consumer give.
export async function inChromium(browser, dist, files, calls) {
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
