// The collection: every song chosen so far, keyed by its path relative to the chosen folder, with
// where its analysis stands. The table, the summary and the exports read it; the analysis queue
// and the user's corrections change it. Changes are announced in batches (one 'change' event per
// BATCH_MS at most), so that 2,000 songs finishing do not redraw the page 2,000 times.
//
// A song: {path, name, folder, size, lastModified, model, state, stage, durationSeconds, decodeMs,
//   totalMs, analysis, vector, error, correction, taught, file}
//   state: 'waiting' | 'working' | 'done' | 'failed'; stage: what is happening to it now
//   analysis: what the classifier said ({label, labels, proba, top, base, windows, timings})
//   vector: the song's features, for "more like this"
//   correction: the genre the user set by hand, or null
//   taught: the genre of its subfolder when it came in a folder of genres (teach.js), or null
//   file: the File to read (absent for songs restored from an earlier visit)
const BATCH_MS = 200;

export const genreOf = (song) => song.correction ?? song.analysis?.label ?? null;
export const confidenceOf = (song) => (song.analysis ? song.analysis.proba[song.analysis.top] : null);

// The runner-up of the classifier's answer.
export function secondGenreOf({ analysis }) {
  if (!analysis || analysis.labels.length < 2) return null;
  let second = analysis.top === 0 ? 1 : 0;
  analysis.proba.forEach((p, i) => { if (i !== analysis.top && p > analysis.proba[second]) second = i; });
  return analysis.labels[second];
}

export const nameOf = (path) => path.split('/').at(-1);
export const folderOf = (path) => path.split('/').slice(0, -1).join('/');

export class Collection extends EventTarget {
  #songs = new Map();
  #timer = null;

  get size() { return this.#songs.size; }
  get(path) { return this.#songs.get(path); }
  all() { return [...this.#songs.values()]; }

  // Adds or replaces the song at `song.path`.
  put(song) {
    this.#songs.set(song.path, { name: nameOf(song.path), folder: folderOf(song.path), correction: null, stage: '', ...song });
    this.#changed();
  }

  update(path, fields) {
    const song = this.#songs.get(path);
    if (!song) return;
    Object.assign(song, fields);
    this.#changed();
  }

  clear() {
    this.#songs.clear();
    this.#changed();
  }

  // Announces the changes of the last BATCH_MS in one event.
  #changed() {
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.dispatchEvent(new Event('change'));
    }, BATCH_MS);
  }
}
