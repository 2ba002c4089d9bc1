// The novelty card in headless Chromium: a square wave and white noise (made with sox at test
// time) do not sound like the music the model was trained on, so their cards say so and grey the
// genres, which are still shown; a GTZAN dev clip's card does neither. Each verdict must also be
// that of the command line (`sonotype classify --json`) on the same file. A screenshot of the
// square wave's card goes to $SONOTYPE_BUILD_DIR/screenshots/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';

import { requiredEnv, sharedDir } from '../support/shared.mjs';
import { choose, closeDetail, openDetail, openPage, startBrowser } from './browser.mjs';

const shared = sharedDir();
const sourceDir = requiredEnv('SONOTYPE_SOURCE_DIR');
const cli = requiredEnv('SONOTYPE_CLI');
const screenshots = join(requiredEnv('SONOTYPE_BUILD_DIR'), 'screenshots');
const NOTE = /does not sound like the music the model was trained on/;

// `sonotype classify --json` of `file` with the page's model: is it novel?
function novelWithCli(file) {
  const model = join(sourceDir, 'web/build/gtzan.sono');
  const { files: [result] } = JSON.parse(execFileSync(cli, ['classify', '--json', '--model', model, file]).toString());
  return result.novelty.novel;
}

// What the song's card shows: its state, whether it is marked novel, whether the note is visible,
// whether the genres are drawn greyed (CSS filter), and how many genre bars it still shows.
async function cardOf(page, file) {
  const dialog = await openDetail(page, file);
  const card = dialog.locator('.card');
  await card.locator('.result').waitFor();
  const shown = await card.evaluate((node) => ({
    state: node.dataset.state,
    novel: node.dataset.novel === 'true',
    note: node.querySelector('.message.novelty').hidden ? null : node.querySelector('.message.novelty').textContent,
    greyed: ['.verdict', '.bars'].every((part) => getComputedStyle(node.querySelector(part)).filter.includes('grayscale')),
    bars: node.querySelectorAll('.bar').length,
    barsVisible: node.querySelector('.bars').getBoundingClientRect().height > 0,
  }));
  if (shown.novel) await card.screenshot({ path: join(screenshots, `novel-${file}.png`) });
  await closeDetail(page);
  return shown;
}

test('the novelty card', { skip: !shared, timeout: 300_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'sonotype-novelty-'));
  mkdirSync(screenshots, { recursive: true });
  const square = join(work, 'square.wav');
  const noise = join(work, 'white noise.wav');
  const clip = join(work, 'blues.00000.wav');
  execFileSync('sox', ['-V1', '-D', '-n', '-r', '22050', '-b', '16', square, 'synth', '30', 'square', '440', 'vol', '0.9']);
  execFileSync('sox', ['-V1', '-D', '-n', '-r', '22050', '-b', '16', noise, 'synth', '30', 'whitenoise', 'vol', '0.5']);
  execFileSync('sox', [join(shared, 'data/gtzan/dev_audio/blues.00000.wav'), clip]);

  const { site, browser } = await startBrowser(t, sourceDir, work);
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  const { page, errors } = await openPage(context, site.url);
  await choose(page, '#file-input', [square, noise, clip]);

  for (const [path, novel] of [[square, true], [noise, true], [clip, false]]) {
    const file = path.split('/').at(-1);
    const shown = await cardOf(page, file);
    assert.equal(shown.state, 'done', file);
    assert.equal(novelWithCli(path), novel, `${file}: the command line's verdict`);
    assert.equal(shown.novel, novel, `${file}: marked novel`);
    if (novel) assert.match(shown.note ?? '', NOTE, `${file}: the note`);
    else assert.equal(shown.note, null, `${file}: no note`);
    assert.equal(shown.greyed, novel, `${file}: the genres greyed`);
    assert.equal(shown.bars, 10, `${file}: every genre still shown`);
    assert.ok(shown.barsVisible, `${file}: the bars are drawn`);
  }
  assert.deepEqual(errors, []);
});
