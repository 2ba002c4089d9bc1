// The page's handle on the classifier: a pool of workers (worker.js), one per core up to four,
// each with its own WebAssembly instance and copy of the model. A long song's analysis windows
// are spread over the pool, so its analysis takes about 1/N of the time on N cores.
import { SAMPLE_RATE } from './decode.js';

const POOL_SIZE = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4));

// One worker: each call posts a request and resolves with its answer.
class WorkerChannel {
  #worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  #pending = new Map();  // request id -> {resolve, reject}
  #nextId = 0;

  // Resolves with {version, model} once the module and the default model are loaded.
  ready = new Promise((resolve, reject) => this.#pending.set('ready', { resolve, reject }));

  constructor() {
    this.#worker.onmessage = ({ data: { id, value, error } }) => {
      const request = this.#pending.get(id);
      this.#pending.delete(id);
      if (error === undefined) request.resolve(value);
      else request.reject(new Error(error));
    };
    // A worker that cannot even start (script missing, module syntax) fails every request.
    this.#worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`The classifier could not start: ${event.message || 'worker.js failed to load'}`);
      for (const request of this.#pending.values()) request.reject(error);
      this.#pending.clear();
    };
  }

  // Requests not yet answered: the worker runs them one at a time, in order.
  get queued() {
    return this.#pending.size - (this.#pending.has('ready') ? 1 : 0);
  }

  call(method, arg, transfer = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, arg }, transfer);
    });
  }
}

export class Classifier {
  #workers = Array.from({ length: POOL_SIZE }, () => new WorkerChannel());

  // Resolves with {version, model} once every worker has the module and the default model.
  ready = Promise.all(this.#workers.map((w) => w.ready)).then(([first]) => first);

  // samples: mono Float32Array at 22050 Hz. Resolves with the analysis of the whole song (see
  // Analysis in sonotype.d.ts, plus `labels`); onWindow(done, total) reports each finished window.
  async analyse(samples, onWindow = () => {}) {
    const ranges = await this.#idlest().call('songWindows', samples.length);
    if (ranges.length === 1) {
      const analysis = await this.#idlest().call('analyse', samples, [samples.buffer]);  // no copy
      onWindow(1, 1);
      return analysis;
    }
    let done = 0;
    const parts = await Promise.all(ranges.map(({ begin, end }) => {
      const window = samples.slice(begin, end);
      return this.#idlest().call('analyse', window, [window.buffer]).then((part) => {
        onWindow(++done, ranges.length);
        return part;
      });
    }));
    return combineWindows(parts, ranges);
  }

  // bytes: the ArrayBuffer of a .sono file. Resolves with the model's info; on failure the
  // previous model stays in use.
  loadModel(bytes, name) {
    return this.#everyWorker((w) => {
      const copy = bytes.slice(0);  // each worker takes its own
      return w.call('loadModel', { bytes: copy, name }, [copy]);
    });
  }

  loadDefaultModel() {
    return this.#everyWorker((w) => w.call('loadDefaultModel'));
  }

  // Every worker gets the same bytes, so they all accept a model or all refuse it.
  async #everyWorker(request) {
    const [first] = await Promise.all(this.#workers.map(request));
    return first;
  }

  #idlest() {
    return this.#workers.reduce((best, w) => (w.queued < best.queued ? w : best));
  }
}

// The song's analysis from its windows' analyses (in song order), combined as the module's own
// analyse() combines them: probabilities, and each base model's, averaged over the windows in
// order, the first window's features, timings summed, windows placed at their ranges.
function combineWindows(parts, ranges) {
  const mean = (arrays) => {
    const sum = new Float64Array(arrays[0].length);
    for (const a of arrays) a.forEach((p, c) => { sum[c] += p; });
    return sum.map((s) => s / arrays.length);
  };
  const proba = mean(parts.map((p) => p.proba));
  const top = proba.indexOf(Math.max(...proba));
  const { labels } = parts[0];
  const base = Object.fromEntries(Object.keys(parts[0].base).map((name) => [name, mean(parts.map((p) => p.base[name]))]));
  const timings = Object.fromEntries(Object.keys(parts[0].timings)
    .map((key) => [key, parts.reduce((sum, p) => sum + p.timings[key], 0)]));
  const windows = parts.map(({ windows: [w] }, i) => ({
    ...w, start: ranges[i].begin / SAMPLE_RATE, end: ranges[i].end / SAMPLE_RATE,
  }));
  return { proba, top, label: labels[top], labels, base, windows, features: parts[0].features, timings };
}
