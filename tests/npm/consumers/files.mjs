// `node files.mjs FILE...` prints, as JSON, the package's answer for each file's bytes, in order:
// {file, label, proba} or {file, error}, one file's failure not stopping the others.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { Sonotype } from 'sonotype';

const sonotype = await Sonotype.create();
const results = [];
for (const path of process.argv.slice(2)) {
  try {
    const analysis = await sonotype.classify(await readFile(path));
    results.push({ file: basename(path), label: analysis.label, proba: Array.from(analysis.proba) });
  } catch (error) {
    results.push({ file: basename(path), error: error.message });
  }
}
console.log(JSON.stringify(results));
