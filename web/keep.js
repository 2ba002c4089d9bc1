// Keeps the collection across visits: each finished song (its result, feature vector, any
// correction, the genre a folder of genres gave it) in IndexedDB, keyed by its relative path. Its
// size, last-modified time and model are kept with it, so that choosing the folder again
// analyses only what is new or changed.
// When storage fails (private browsing, a full disk, a quota), `failure` says why and onFailure
// is called once; the page then works on without keeping anything.
const DATABASE = 'sonotype';
const STORE = 'songs';

// The fields of a song worth keeping (not its File, nor what it was doing when the page closed).
const KEPT = ['path', 'size', 'lastModified', 'model', 'state', 'durationSeconds', 'decodeMs', 'totalMs',
  'analysis', 'vector', 'error', 'correction', 'taught'];

const request = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

export class Keeper {
  failure = null;
  #db = null;
  #onFailure;

  constructor(onFailure) {
    this.#onFailure = onFailure;
  }

  // Resolves with the songs kept by earlier visits ([] when there are none or storage fails).
  async open() {
    try {
      const opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'path' });
      this.#db = await request(opening);
      return await request(this.#store('readonly').getAll());
    } catch (error) {
      this.#fail(error);
      return [];
    }
  }

  // True when `file` at `path` is the file `kept` was made from, analysed by `model`.
  static unchanged(kept, file, model) {
    return kept.size === file.size && kept.lastModified === file.lastModified && kept.model === model;
  }

  save(song) {
    if (!this.#db) return;
    const record = Object.fromEntries(KEPT.filter((key) => key in song).map((key) => [key, song[key]]));
    this.#write((store) => store.put(record));
  }

  forget() {
    if (this.#db) this.#write((store) => store.clear());
  }

  #write(change) {
    try {
      const transaction = this.#db.transaction(STORE, 'readwrite');
      change(transaction.objectStore(STORE));
      transaction.onabort = () => this.#fail(transaction.error);  // QuotaExceededError lands here
    } catch (error) {
      this.#fail(error);
    }
  }

  #store(mode) {
    return this.#db.transaction(STORE, mode).objectStore(STORE);
  }

  #fail(error) {
    if (this.failure) return;
    this.failure = `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
    this.#db = null;
    this.#onFailure(this.failure);
  }
}
