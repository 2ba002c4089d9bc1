// "More like this": the songs of the collection nearest to a song, as the module's similar()
// defines them (the model's standardised feature space; `sonotype similar` gives the same list).
// The collection goes to it in path order, as the command line lists a folder, so that songs at
// equal distances come in the same order in both.
import { compareNames } from './folder.js';

export const SIMILAR_COUNT = 10;

// Resolves with [{song, similarity}], nearest first; [] when the song has no features (it failed)
// or is the only one analysed.
export async function moreLikeThis(classifier, songs, path, n = SIMILAR_COUNT) {
  const analysed = songs.filter((s) => s.vector).sort((a, b) => compareNames(a.path, b.path));
  const query = analysed.findIndex((s) => s.path === path);
  if (query < 0 || analysed.length < 2) return [];
  const found = await classifier.similar(analysed.map((s) => s.vector), query, n);
  return found.map(({ index, similarity }) => ({ song: analysed[index], similarity }));
}
