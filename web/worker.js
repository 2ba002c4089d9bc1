// One of the classifier's threads (classifier.js keeps one per core): it loads the WebAssembly
// module and a model, then works on the audio the page sends. Analysing a song takes a
// noticeable moment; here it never blocks the page.
//
// Messages in:  {id, method, arg}, method one of resample, songWindows, features, classifySong,
//               loadModel, loadDefaultModel, similar, train
// Messages out: {id, value} or {id, error: message}; once at start {id: 'ready', value: {version, model}}
// or {id: 'ready', error}.
import createSonotype from './build/sonotype.js';
import { fetched } from './models.js';

const DEFAULT_MODEL_URL = new URL('./build/gtzan.sono', import.meta.url);

let model = null;  // what loadModel returned for the model in use: {labels, ...}

function useModel(bytes, name) {
  model = { ...sonotype.loadModel(bytes), name };
  return model;
}

const methods = {
  // librosa.load's resampling of a decoded file, here so that the page's thread stays free.
  resample: ({ samples, from, to }) => sonotype.resample(samples, from, to),
  // The labels travel with each result: a custom model loaded later must not relabel it.
  // A song in three steps (see sonotype.d.ts), so that the page's workers can share its windows.
  songWindows: (length) => sonotype.songWindows(length),
  features: (samples) => sonotype.features(samples),
  classifySong: (windows) => ({ ...sonotype.classifySong(windows), labels: model.labels }),
  similar: ({ vectors, query, n }) => sonotype.similar(vectors, query, n),
  // A personal model from the songs' stored features: {blob, report}; the model in use stays.
  train: ({ features, genres, songs }) => sonotype.train(features, genres, songs),
  loadModel: ({ bytes, name }) => useModel(new Uint8Array(bytes), name),
  loadDefaultModel: async () => useModel(new Uint8Array(await (await fetched(DEFAULT_MODEL_URL)).arrayBuffer()), null),
};

let sonotype;
const ready = (async () => {
  sonotype = await createSonotype();
  await methods.loadDefaultModel();
  return { version: sonotype.version(), model };
})();

ready.then(
  (value) => postMessage({ id: 'ready', value }),
  (error) => postMessage({ id: 'ready', error: String(error.message || error) }));

// Requests wait for start-up, then run one at a time in the order they came (a model switch
// completes before the next file is analysed).
let previous = ready;
onmessage = ({ data: { id, method, arg } }) => {
  previous = previous.catch(() => {}).then(async () => {
    try {
      await ready;  // a failed start-up answers every request with its error
      postMessage({ id, value: await methods[method](arg) });
    } catch (error) {
      postMessage({ id, error: String(error.message || error) });
    }
  });
};
