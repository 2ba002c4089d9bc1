// The training examples of a personal model, taken from the collection: every analysed song the
// user gave a genre, either by its subfolder in a folder of genres chosen in the teach view
// (song.taught) or by a correction in the collection (a correction wins: it is the later word).
// The trainer reads one row of 57 features per song, from the features kept with it: the middle
// window that is not silent (the model classifies 30-s windows, so it learns from them; a clip up
// to 45 s long is one window, the whole clip, as `sonotype train` reads it).
import { compareNames } from './folder.js';

export const FEATURES = 57;
export const MIN_SONGS_PER_GENRE = 3;  // as the trainer (core/model/train.h)
export const MIN_GENRES = 3;

export const taughtGenreOf = (song) => song.correction ?? song.taught ?? null;

// Window i's 57 features in a song's vector (its windows' features, one after another, queue.js).
export const windowFeatures = (vector, i) => vector.slice(i * FEATURES, (i + 1) * FEATURES);

function trainingRow({ analysis, vector }) {
  const heard = analysis.windows.map((w, i) => (w.silent ? -1 : i)).filter((i) => i >= 0);
  return windowFeatures(vector, heard[Math.floor((heard.length - 1) / 2)]);
}

// songs: the collection. -> {examples: [{path, genre, row}] in path order, counts: Map genre ->
// songs (sorted by genre), waiting: labelled songs not analysed yet, failed: labelled songs that
// could not be analysed, duplicate: a message when the same audio is labelled twice, else null}.
export function trainingExamples(songs) {
  const labelled = songs.filter((s) => taughtGenreOf(s)).sort((a, b) => compareNames(a.path, b.path));
  const examples = labelled.filter((s) => s.state === 'done' && s.vector && s.analysis?.windows.some((w) => !w.silent))
    .map((song) => ({ path: song.path, genre: taughtGenreOf(song), row: trainingRow(song) }));
  const counts = new Map();
  for (const { genre } of examples) counts.set(genre, (counts.get(genre) ?? 0) + 1);
  return {
    examples,
    counts: new Map([...counts].sort(([a], [b]) => compareNames(a, b))),
    waiting: labelled.filter((s) => ['waiting', 'working'].includes(s.state)).length,
    failed: labelled.filter((s) => s.state === 'failed').length,
    duplicate: labelledTwice(examples),
  };
}

// The same audio under two paths (one file copied into two genre folders) has the same features:
// the trainer would count it twice, so it is refused as the command line refuses a song listed twice.
function labelledTwice(examples) {
  const seen = new Map();
  for (const example of examples) {
    const key = example.row.join();
    const other = seen.get(key);
    if (!other) {
      seen.set(key, example);
      continue;
    }
    const as = other.genre === example.genre ? `both times as “${example.genre}”` : `as “${other.genre}” and as “${example.genre}”`;
    return `“${other.path}” and “${example.path}” are the same song, labelled twice (${as}): remove one of them.`;
  }
  return null;
}

// What the module's train() takes: {features (n x 57, row-major), genres, songs}.
export function trainingSet(examples) {
  const features = new Float64Array(examples.length * FEATURES);
  examples.forEach(({ row }, i) => features.set(row, i * FEATURES));
  return { features, genres: examples.map((e) => e.genre), songs: examples.map((e) => e.path) };
}
