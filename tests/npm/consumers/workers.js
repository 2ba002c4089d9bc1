// The Vite consumer's Workers: a module Worker of its own that imports the package, and the
// package's pool (sonotype/pool) over the same files.
import { SonotypePool } from 'sonotype/pool';

import { chosenFiles, summary } from './main.js';

function inOwnWorker(files) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    const results = new Array(files.length);
    let answered = 0;
    worker.onerror = (event) => reject(new Error(`worker.js: ${event.message}`));
    // Answers come as each file is done: each says which file it is.
    worker.onmessage = ({ data: { index, ...result } }) => {
      results[index] = result;
      if (++answered === files.length) {
        worker.terminate();
        resolve(results);
      }
    };
    files.forEach((file, index) => worker.postMessage({ index, file }));
  });
}

// The files' results, then the error for an input that cannot even be posted to a Worker.
async function inPool(files) {
  const pool = new SonotypePool({ size: 2 });
  const uncloneable = { samples: new Float32Array(4), sampleRate: 22050, onDone() {} };
  try {
    const settled = await pool.classifyAll([uncloneable, ...files]);
    return settled.map((r, i) => (r.status === 'fulfilled'
      ? { file: files[i - 1].name, ...summary(r.value) }
      : { file: files[i - 1]?.name ?? 'uncloneable', error: r.reason.message }));
  } finally {
    pool.dispose();
  }
}

window.consumer = {
  ...window.consumer,
  classifyInWorker: () => inOwnWorker(chosenFiles()),
  classifyInPool: () => inPool(chosenFiles()),
};
