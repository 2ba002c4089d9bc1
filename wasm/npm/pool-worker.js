// One thread of a SonotypePool (pool.js): a Sonotype of its own, working on one input at a time.
// Messages in:  {model} once, then {method: 'classify' | 'features', input}
// Messages out: {started: true} or {started: false, error} once, then {value} or {error} per input.
import { Sonotype } from './browser.js';

let sonotype;
onmessage = ({ data }) => {
  if (!sonotype) {
    sonotype = Sonotype.create({ model: data.model });
    sonotype.then(() => postMessage({ started: true }), (error) => postMessage({ started: false, error: error.message }));
    return;
  }
  sonotype.then((s) => s[data.method](data.input))
    .then((value) => postMessage({ value }), (error) => postMessage({ error: String(error?.message ?? error) }));
};
