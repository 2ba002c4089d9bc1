// Headless Chromium for the page tests and the web benchmark: Debian's /usr/bin/chromium driven by
// playwright-core (which never downloads a browser), quiet (no background requests to Google
// services), with a fresh temporary profile per launch (playwright makes one). serveSite() serves
// web/ on a free loopback port.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { serveStatic } from '../../tools/static-server.mjs';

export const CHROMIUM = process.env.SONOTYPE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

// Serves the site (web/, with the module in web/build/) under a sub-path, as GitHub Pages does, so
// that an absolute URL in the page would miss. Resolves with {url, requests, close()}.
export async function serveSite(sourceDir) {
  const { server, url, requests } = await serveStatic(join(sourceDir, 'web'), { base: '/sonotype/' });
  const close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  return { url, requests, close };
}

// The site served and Chromium started for the test `t`: {site, browser}, both closed, and the
// test's folder `work` removed, when `t` ends.
export async function startBrowser(t, sourceDir, work) {
  const site = await serveSite(sourceDir);
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await site.close();
    rmSync(work, { recursive: true, force: true });
  });
  return { site, browser };
}

// Opens the page and waits until the workers have loaded the module and the default model.
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(url);
  await page.locator('#model-status', { hasText: 'Classifying with' }).waitFor({ timeout: 60_000 });
  return { page, errors };
}

// Chooses `paths` (files, or one folder) in `input` and resolves once the page has analysed what
// it chose (the summary's progress gone, every chosen song's row finished): the choice's status
// line ("N songs chosen: …").
export async function choose(page, input, paths, { timeout = 300_000 } = {}) {
  await page.evaluate(() => { document.querySelector('#choice-status').textContent = ''; });
  await page.setInputFiles(input, paths);
  await page.waitForFunction(() => document.querySelector('#choice-status').textContent !== ''
    && document.querySelector('#summary .run').hidden, null, { timeout });
  await page.waitForFunction(() => [...document.querySelectorAll('.song-row')]
    .every((row) => !['waiting', 'working'].includes(row.dataset.state)), null, { timeout });
  return page.locator('#choice-status').innerText();
}

// Every row of the collection's table, scrolled through (only the rows in view exist), in table
// order: {path, state, genre, proba, corrected, text (the genre cell: an error for a failed song)}.
export function tableRows(page) {
  return page.evaluate(async () => {
    const body = document.querySelector('.song-table-body');
    const rows = new Map();
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    for (let top = 0; ; top += body.clientHeight / 2) {
      body.scrollTop = top;
      await frame();
      for (const row of document.querySelectorAll('.song-row')) {
        rows.set(row.dataset.path, {
          index: Math.round(new DOMMatrix(row.style.transform).m42 / row.offsetHeight),
          path: row.dataset.path, state: row.dataset.state, genre: row.dataset.genre ?? null,
          proba: row.dataset.proba ? JSON.parse(row.dataset.proba) : null, corrected: 'corrected' in row.dataset,
          text: row.querySelector('.cell.genre').textContent,
        });
      }
      if (top + body.clientHeight >= body.scrollHeight) break;
    }
    body.scrollTop = 0;
    return [...rows.values()].sort((a, b) => a.index - b.index).map(({ index, ...row }) => row);
  });
}

// Opens the detail of the song at `path` (found with the table's search box) and resolves with
// its dialog's locator; closeDetail() closes it again.
export async function openDetail(page, path) {
  await page.fill('.song-search', path);
  await page.locator(`.song-row[data-path="${path.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"]`).click();
  const dialog = page.locator('#detail');
  await dialog.waitFor({ state: 'visible' });
  return dialog;
}

export async function closeDetail(page) {
  await page.locator('#detail .detail-close button').click();
  await page.locator('#detail').waitFor({ state: 'hidden' });
  await page.fill('.song-search', '');
}

// Chooses `paths` in the file input and resolves when each has a finished row (done or failed),
// with what its row and detail show: {file, state, genre, proba, windows, silentWindows, message,
// totalMs, decodeMs}.
export async function classifyFiles(page, paths, options) {
  const names = paths.map((p) => p.split('/').at(-1));
  await choose(page, '#file-input', paths, options);
  const results = [];
  for (const file of names) {
    const dialog = await openDetail(page, file);
    const card = dialog.locator('.card');
    await card.locator('.result, .message.error:not([hidden])').first().waitFor();
    results.push(await card.evaluate((node, name) => {
      const error = node.querySelector('.message.error');
      return {
        file: name, state: node.dataset.state, genre: node.dataset.genre ?? null,
        proba: node.dataset.proba ? JSON.parse(node.dataset.proba) : null,
        windows: [...node.querySelectorAll('.timeline .segment')].map((segment) => segment.dataset.genre),
        silentWindows: node.querySelectorAll('.timeline .segment.silent').length,
        message: error.hidden ? null : error.textContent,
        totalMs: Number(node.dataset.totalMs), decodeMs: Number(node.dataset.decodeMs),
      };
    }, file));
    await closeDetail(page);
  }
  return results;
}
