// Keeps the user's personal model (the last one trained in the teach view) in IndexedDB across
// visits: its .sono bytes, its name, the training report, and whether it is the model in use, so
// that reopening the page classifies with it again. A database of its own, apart from the
// collection's (keep.js): forgetting the collection keeps the model. Storage failures reject with
// the browser's reason; the caller says so and works on with the model in memory.
const DATABASE = 'sonotype-personal-model';
const STORE = 'models';
const KEY = 'mine';

const request = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

let opened = null;
function database() {
  opened ??= (() => {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    return request(opening);
  })();
  return opened;
}

async function store(mode) {
  return (await database()).transaction(STORE, mode).objectStore(STORE);
}

// Resolves with {name, blob: Uint8Array, report, inUse} or null when none was kept.
export async function keptModel() {
  return (await request((await store('readonly')).get(KEY))) ?? null;
}

export async function keepModel(model) {
  await request((await store('readwrite')).put(model, KEY));
}

// Records whether the kept model is the one in use (the GTZAN model chosen back, or it again).
export async function markInUse(inUse) {
  const model = await keptModel();
  if (model && model.inUse !== inUse) await keepModel({ ...model, inUse });
}
