// The page's training time (prints figures; not a test): the WebAssembly module's train(), as the
// teach view's worker runs it, on N songs' stored features: rows of the GTZAN feature table
// (../shared/data/gtzan/features_30_sec.csv), taken in turn from each genre and, past its 1000
// rows, jittered by 5% of each column's spread (a fixed seed), so that every song is distinct.
//   node tools/bench-train-wasm.mjs [N...]        (default: 100 500 2000)
// SONOTYPE_WASM_DIR (default web/build) holds the module; SONOTYPE_SHARED_DIR (default ../shared).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCsv } from '../tests/support/csv.mjs';
import { loadSonotype } from '../tests/support/sonotype.mjs';

const root = new URL('..', import.meta.url).pathname;
const shared = process.env.SONOTYPE_SHARED_DIR ?? join(root, '../shared');
const sonotype = await loadSonotype(process.env.SONOTYPE_WASM_DIR ?? join(root, 'web/build'));
const [header, ...table] = parseCsv(readFileSync(join(shared, 'data/gtzan/features_30_sec.csv'), 'utf8'))
  .filter((row) => row.length > 1);
const label = header.indexOf('label');
const columns = header.map((_, i) => i).filter((i) => !['filename', 'length', 'label'].includes(header[i]));
const rows = table.map((r) => columns.map((c) => Number(r[c])));
const spread = columns.map((_, j) => {
  const mean = rows.reduce((s, r) => s + r[j], 0) / rows.length;
  return Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / rows.length);
});
const genres = [...new Set(table.map((r) => r[label]))];
const byGenre = genres.map((g) => rows.filter((_, i) => table[i][label] === g));

let seed = 12;
const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

function songs(n) {
  const features = new Float64Array(n * columns.length);
  const labels = [];
  for (let i = 0; i < n; ++i) {
    const g = i % genres.length;
    const round = Math.floor(i / genres.length);
    const source = byGenre[g][round % byGenre[g].length];
    const jitter = round >= byGenre[g].length ? 0.05 : 0;
    features.set(source.map((v, j) => v + jitter * spread[j] * gaussian()), i * columns.length);
    labels.push(genres[g]);
  }
  return { features, labels, names: labels.map((_, i) => `song${i}.wav`) };
}

for (const n of (process.argv.length > 2 ? process.argv.slice(2) : ['100', '500', '2000']).map(Number)) {
  const { features, labels, names } = songs(n);
  const started = performance.now();
  const { report } = sonotype.train(features, labels, names);
  const ms = performance.now() - started;
  console.log(`${n} songs (${genres.length} genres, ${report.cvScheme}): ${(ms / 1000).toFixed(2)} s, `
    + `chosen ${report.chosen.model}, cross-validated accuracy ${report.chosen.accuracy.toFixed(3)}`);
}
