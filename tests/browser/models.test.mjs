// The page's model picker in headless Chromium: every model that models/index.json marks "page"
// is offered, the status line gives its summary once chosen, and the page classifies a song with each exactly as
// `sonotype classify --model NAME` does (a WAV: the page and the CLI read the same samples).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { classifyFiles, openPage, startBrowser } from './browser.mjs';

const shared = sharedDir();
const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const WAV_TOLERANCE = 1e-6;

const { models } = JSON.parse(readFileSync(join(sourceDir, 'models/index.json'), 'utf8'));
const pageModels = models.filter((m) => m.page);

// The command line's genre and probabilities (label order) for `file` with the model NAME
// (models/index.json gives the CLI its file).
function classifyWithCli(name, file) {
  const { labels, files: [result] } = JSON.parse(execFileSync(cli, ['classify', '--json', '--model', name, file]).toString());
  return { genre: result.genre, proba: labels.map((label) => result.proba[label]) };
}

test('the model picker', { skip: !shared, timeout: 600_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-models-'));
  const { site, browser } = await startBrowser(t, sourceDir, work);
  const { page, errors } = await openPage(await browser.newContext(), site.url);
  const offered = await page.locator('#model-picker option').evaluateAll((options) => options.map((o) => o.value));
  assert.deepEqual(offered.sort(), pageModels.map((m) => m.name).sort());
  assert.equal(await page.locator('#model-picker').inputValue(), models.find((m) => m.default).name);

  const clips = ['blues.00000', 'reggae.00000'];
  for (const model of pageModels) {
    await t.test(`classifies with “${model.name}” as the command line does`, async () => {
      await page.selectOption('#model-picker', model.name);
      await page.locator('#model-status', { hasText: model.summary }).waitFor();
      // A copy per model: the page keeps a song analysed under one model apart from the others.
      const files = clips.map((clip) => {
        const file = join(work, `${clip}.${model.name}.wav`);
        execFileSync('sox', [join(shared, 'data/gtzan/dev_audio', `${clip}.wav`), file]);
        return file;
      });
      const results = await classifyFiles(page, files);
      for (const [i, result] of results.entries()) {
        const expected = classifyWithCli(model.name, files[i]);
        assert.equal(result.genre, expected.genre, result.file);
        result.proba.forEach((p, c) => assert.ok(Math.abs(p - expected.proba[c]) < WAV_TOLERANCE, `${result.file} class ${c}`));
      }
    });
  }
  assert.deepEqual(errors, []);
});
