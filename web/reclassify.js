// The collection classified again when the model in use changes (a personal model trained, the
// GTZAN model chosen back, a .sono loaded): every analysed song from its windows' features kept in
// its vector (queue.js), without decoding the audio again.
import { SAMPLE_RATE } from './decode.js';
import { windowFeatures } from './examples.js';
import { withoutWindowFeatures } from './queue.js';

// A song's windows as classifySong takes them back: [{begin, end, features}]; the analysis keeps
// each window's place in seconds (begin / SAMPLE_RATE), the vector its 57 features.
export function storedWindows({ analysis, vector }) {
  return analysis.windows.map((window, i) => ({
    begin: Math.round(window.start * SAMPLE_RATE),
    end: Math.round(window.end * SAMPLE_RATE),
    features: windowFeatures(vector, i),
  }));
}

// Reclassifies every analysed song with the classifier's model in use, recording `modelKey` with
// each result. Resolves with the songs changed, once all are done; a song the model cannot
// classify fails on its own row and the others carry on.
export async function reclassifyCollection(collection, classifier, modelKey) {
  const songs = collection.all().filter((song) => song.state === 'done' && song.vector && song.analysis);
  await Promise.all(songs.map(async ({ path, ...song }) => {
    try {
      const analysis = await classifier.reclassify(storedWindows(song));
      collection.update(path, { analysis: withoutWindowFeatures(analysis), model: modelKey });
    } catch (error) {
      collection.update(path, { state: 'failed', analysis: null, model: modelKey, error: `Could not classify this song again: ${error.message}` });
    }
  }));
  return songs.map(({ path }) => collection.get(path));
}
