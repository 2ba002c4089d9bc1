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

// The site served and Chromium started for test `t`; when `t` ends both stop and the folder
// `work` is removed. Resolves with {site, browser}.
export async function siteAndBrowser(t, sourceDir, work) {
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

// Chooses `paths` in the file input and resolves when each has a new, finished card (done or
// failed), with what the card shows: {file, state, genre, proba, message, totalMs, decodeMs}.
export async function classifyFiles(page, paths, { timeout = 120_000 } = {}) {
  const names = paths.map((p) => p.split('/').at(-1));
  const before = await page.evaluate((files) => files.map((file) =>
    document.querySelectorAll(`.card[data-file="${CSS.escape(file)}"]`).length), names);
  await page.setInputFiles('#file-input', paths);
  // Cards are prepended: the first card of a file is its newest.
  await page.waitForFunction(({ files, counts }) => files.every((file, i) => {
    const all = document.querySelectorAll(`.card[data-file="${CSS.escape(file)}"]`);
    return all.length > counts[i] && ['done', 'failed'].includes(all[0].dataset.state);
  }), { files: names, counts: before }, { timeout });
  return page.evaluate((files) => files.map((file) => {
    const card = document.querySelector(`.card[data-file="${CSS.escape(file)}"]`);
    const error = card.querySelector('.message.error');
    return {
      file, state: card.dataset.state, genre: card.dataset.genre ?? null,
      proba: card.dataset.proba ? JSON.parse(card.dataset.proba) : null,
      windows: [...card.querySelectorAll('.timeline .segment')].map((segment) => segment.dataset.genre),
      message: error.hidden ? null : error.textContent,
      totalMs: Number(card.dataset.totalMs), decodeMs: Number(card.dataset.decodeMs),
    };
  }), names);
}
