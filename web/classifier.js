// The page's handle on the classifier: a pool of workers (worker.js), one per core up to four,
// each with its own WebAssembly instance and copy of the model. A song's analysis windows are
// shared out among them, so a long song takes about 1/N of the time on N cores.
import { resampleInParts } from './resample-parts.js';

const POOL_SIZE = Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4));

// One worker: each call posts a request and resolves with its answer.
class WorkerChannel {
  #worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  #pending = new Map();  // request id -> {resolve, reject}
  #nextId = 0;
  failure = null;  // set when the worker cannot run at all; it then takes no more requests

  // Resolves with {version, model} once the module and the default model are loaded.
  ready = new Promise((resolve, reject) => this.#pending.set('ready', { resolve, reject }));

  constructor() {
    this.ready.catch((error) => { this.failure ??= error; });
    this.#worker.onmessage = ({ data: { id, value, error } }) => {
      const request = this.#pending.get(id);
      this.#pending.delete(id);
      if (error === undefined) request.resolve(value);
      else request.reject(new Error(error));
    };
    // A worker that cannot even start (script missing, module syntax) fails every request.
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.failure = new Error(`The classifier could not start: ${event.message || 'worker.js failed to load'}`);
      for (const request of this.#pending.values()) request.reject(this.failure);
      this.#pending.clear();
    };
  }

  call(method, arg, transfer = []) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, arg }, transfer);
    });
  }
}

export class Classifier {
  #workers = Array.from({ length: POOL_SIZE }, () => new WorkerChannel());
  #modelChange = Promise.resolve();  // the last model change asked for, settled or not
  #analyses = new Set();  // the analyses under way, each as a promise that never rejects
  #turn = 0;  // the worker that reclassifies the next song

  // Resolves with {version, model} once the workers have the module and the default model; only
  // when none could start does it reject, with the first worker's reason.
  ready = Promise.allSettled(this.#workers.map((w) => w.ready)).then((results) => {
    const started = results.find((r) => r.status === 'fulfilled');
    if (!started) throw results[0].reason;
    return started.value;
  });

  // samples: mono Float32Array at 22050 Hz. Resolves with the song's analysis (Analysis in
  // sonotype.d.ts, plus `labels`), exactly as the module's analyse() would give it; onWindow(done,
  // total) reports each finished window. The first failure (audio too short, a non-finite
  // sample) rejects, and no further window is started. Several songs may be analysed at once:
  // their windows share the workers.
  analyse(samples, onWindow = () => {}) {
    return this.#besideOtherSongs(async () => {
      const workers = await this.#live();
      const ranges = await workers[0].call('songWindows', samples.length);
      const windows = new Array(ranges.length);
      let next = 0;
      let done = 0;
      let failed = false;
      // Each worker takes the next window as soon as it is free.
      const work = async (worker) => {
        while (!failed && next < ranges.length) {
          const i = next++;
          const slice = samples.slice(ranges[i].begin, ranges[i].end);
          try {
            windows[i] = { ...ranges[i], ...await worker.call('features', slice, [slice.buffer]) };
          } catch (error) {
            failed = true;
            throw error;
          }
          if (!failed) onWindow(++done, ranges.length);  // after a failure the song is over
        }
      };
      await Promise.all(workers.map(work));
      return workers[0].call('classifySong', windows);
    });
  }

  // The n songs nearest to vectors[query], as the module's similar() finds them: [{index,
  // distance, similarity}], nearest first. vectors[i]: song i's windows' features, one window
  // after another.
  similar(vectors, query, n) {
    return this.#besideOtherSongs(async () => (await this.#live())[0].call('similar', { vectors, query, n }));
  }

  // A song analysed before, classified again by the model in use from its kept windows' features
  // ([{begin, end, features}], as classifySong takes them): its Analysis, as analyse() gives it.
  // Songs take the workers in turn.
  reclassify(windows) {
    return this.#besideOtherSongs(async () => {
      const workers = await this.#live();
      return workers[this.#turn++ % workers.length].call('classifySong', windows);
    });
  }

  // Fits a personal model in a worker (the module's train(): {features, genres, songs}); resolves
  // with {blob, report}. The model in use does not change.
  async train(set) {
    const [worker] = await this.#live();
    return worker.call('train', set, [set.features.buffer]);
  }

  // samples: mono Float32Array at `from` Hz (copied to the workers). Resolves with them resampled
  // to `to` Hz as librosa.resample does, in parts shared out among the workers (resample-parts.js);
  // not queued behind analyses, so that the next file can be made ready while one is analysed.
  async resample(samples, from, to) {
    const workers = await this.#live();
    return resampleInParts(samples, from, to, workers.length,
      (part, i) => workers[i].call('resample', { samples: part, from, to }, part === samples ? [] : [part.buffer]));
  }

  // bytes: the ArrayBuffer of a .sono file. Resolves with the model's info; on failure the
  // previous model stays in use. Every worker gets the same bytes, so all accept it or all refuse.
  loadModel(bytes, name) {
    return this.#everyWorker((w) => {
      const copy = bytes.slice(0);  // each worker takes its own
      return w.call('loadModel', { bytes: copy, name }, [copy]);
    });
  }

  loadDefaultModel() {
    return this.#everyWorker((w) => w.call('loadDefaultModel'));
  }

  #everyWorker(request) {
    return this.#alone(async () => (await Promise.all((await this.#live()).map(request)))[0]);
  }

  // A model change never lands in the middle of a song: analyses wait for the model changes asked
  // before them, and a model change waits for every analysis under way.
  #besideOtherSongs(task) {
    const run = this.#modelChange.then(task);
    const settled = run.catch(() => {});
    this.#analyses.add(settled);
    settled.then(() => this.#analyses.delete(settled));
    return run;
  }

  #alone(task) {
    const run = Promise.all([this.#modelChange, ...this.#analyses]).then(task);
    this.#modelChange = run.catch(() => {});
    return run;
  }

  // The workers that can run, once every worker has started or failed to (a worker still
  // starting might yet fail); at least one, or this throws why none can.
  async #live() {
    await Promise.allSettled(this.#workers.map((w) => w.ready));
    const live = this.#workers.filter((w) => !w.failure);
    if (live.length === 0) throw this.#workers[0].failure;
    return live;
  }
}
