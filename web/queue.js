// Analyses the collection's waiting songs: LANES songs at once share the classifier's workers
// (so that songs of one window keep every worker busy), and one more song decodes while they are
// analysed, so a collection runs at the speed of the slower of the two. At most LANES + 1
// decoded songs are in memory at any time, however large the collection. A song that fails only
// fails its own row. Cancel lets the songs under way finish and leaves the rest waiting.
import { decodeToMono, SAMPLE_RATE } from './decode.js';

const LANES = 2;

export class AnalysisQueue extends EventTarget {
  #waiting = [];
  #lanes = 0;
  #started = 0;  // songs taken from #waiting and not yet finished (decoding ahead counts)
  #ahead = null;  // the one song decoded ahead of the lanes: {path, decoding}
  #collection;
  #classifier;
  #modelKey;
  // This run (since the queue was last empty): songs to do, finished, failed, when it started.
  run = { total: 0, finished: 0, failed: 0, startedAt: 0 };

  // modelKey(): the name of the model in use, kept with each result. Fires 'finished' with the
  // song as its detail, and 'idle' when the queue has run dry.
  constructor(collection, classifier, modelKey) {
    super();
    this.#collection = collection;
    this.#classifier = classifier;
    this.#modelKey = modelKey;
  }

  get running() { return this.#lanes > 0; }

  add(paths) {
    if (paths.length === 0) return;
    if (!this.running) this.run = { total: 0, finished: 0, failed: 0, startedAt: performance.now() };
    for (const path of paths) this.#collection.update(path, { state: 'waiting', stage: 'Waiting', error: null });
    this.#waiting.push(...paths);
    this.run.total += paths.length;
    while (this.#lanes < LANES && this.#waiting.length > 0) this.#lane();
  }

  // Songs not started stay in the collection, marked as not analysed; the run ends with the
  // songs being decoded or analysed.
  cancel() {
    for (const path of this.#waiting.splice(0)) this.#collection.update(path, { state: 'cancelled', stage: 'Not analysed: cancelled' });
    this.run.total = this.run.finished + this.#started;
    this.dispatchEvent(new Event('progress'));
  }

  async #lane() {
    this.#lanes++;
    for (let current = this.#takeAhead(); current; current = this.#takeAhead()) {
      const decoded = await current.decoding;
      this.#ahead ??= this.#takeNext();  // the next song decodes while this one is analysed
      if (decoded) await this.#analyse(current.path, decoded);
      else this.run.failed++;
      this.run.finished++;
      this.#started--;
      this.dispatchEvent(new CustomEvent('finished', { detail: this.#collection.get(current.path) }));
    }
    this.#lanes--;
    if (this.#lanes === 0) this.dispatchEvent(new Event('idle'));
  }

  // The song decoded ahead, else the next one waiting, its decoding started: {path, decoding},
  // or undefined when there is none.
  #takeAhead() {
    const ahead = this.#ahead ?? this.#takeNext();
    this.#ahead = null;
    return ahead;
  }

  #takeNext() {
    const path = this.#waiting.shift();
    if (path === undefined) return undefined;
    this.#started++;
    return { path, decoding: this.#decode(path) };
  }

  // Resolves with {samples, decodeMs}, or with null after marking the song failed.
  async #decode(path) {
    const song = this.#collection.get(path);
    this.#collection.update(path, { state: 'working', stage: 'Decoding' });
    const started = performance.now();
    let bytes;
    try {
      bytes = await song.file.arrayBuffer();
    } catch (error) {
      this.#fail(path, `Could not read the file: it was moved or deleted after it was chosen, or it is unreadable (${error.name}).`);
      return null;
    }
    try {
      const samples = await decodeToMono(bytes, (...args) => this.#classifier.resample(...args));
      this.#collection.update(path, { stage: 'Decoded; waiting for the classifier' });
      return { samples, decodeMs: performance.now() - started, startedAt: started };
    } catch (error) {
      this.#fail(path, error.message);
      return null;
    }
  }

  async #analyse(path, { samples, decodeMs, startedAt }) {
    const durationSeconds = samples.length / SAMPLE_RATE;
    this.#collection.update(path, { stage: 'Analysing', durationSeconds });
    try {
      const analysis = await this.#classifier.analyse(samples);
      this.#collection.update(path, {
        state: 'done', stage: '', model: this.#modelKey(), decodeMs, totalMs: performance.now() - startedAt,
        vector: songVector(analysis), analysis: withoutWindowFeatures(analysis),
      });
    } catch (error) {
      this.#fail(path, `Could not classify this file: ${error.message}`);
      this.run.failed++;
    }
  }

  #fail(path, message) {
    this.#collection.update(path, { state: 'failed', stage: '', error: message, model: this.#modelKey(), analysis: null, vector: null });
  }
}

// What "more like this" compares (the module's similar()): every window's 57 features, one
// window after another.
function songVector({ windows }) {
  const vector = new Float64Array(windows.reduce((n, w) => n + w.features.length, 0));
  let at = 0;
  for (const { features } of windows) {
    vector.set(features, at);
    at += features.length;
  }
  return vector;
}

// The windows' features are kept once, in the song's vector, not again in its analysis (the
// collection reclassified under another model, reclassify.js, reads them back from the vector).
export function withoutWindowFeatures({ features, ...analysis }) {
  return { ...analysis, windows: analysis.windows.map(({ features: _, ...window }) => window) };
}
