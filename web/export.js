// The page's results as a CSV table, for sorting a collection in a spreadsheet or a script. It is
// made here and saved through a blob: URL, so it works offline and nothing leaves the page.
import { genreOf } from './collection.js';

// One row per song, in the order given: file (its name), path (relative to the chosen folder),
// genre (the one the user set by hand, else the classifier's), confidence (that genre's
// probability), corrected_from (the classifier's genre when the user changed it), error (why a
// file could not be classified), the probability of each genre, then novelty (the song's score)
// and novel ("true" when it does not sound like the music the model was trained on: the genres
// are a guess; both empty when the model has no novelty entries). Songs classified with
// different models get the union of their genres, in order of appearance; a genre a song's
// model does not know is left empty. Numbers keep every digit JavaScript prints.
//   songs: the collection's songs (collection.js); those not yet finished are left out.
export function resultsCsv(songs) {
  const finished = songs.filter((s) => s.state === 'done' || s.state === 'failed');
  const genres = [...new Set(finished.flatMap((s) => s.analysis?.labels ?? []))];
  const header = ['file', 'path', 'genre', 'confidence', 'corrected_from', 'error', ...genres, 'novelty', 'novel'];
  const rows = finished.map((song) => {
    const { analysis } = song;
    if (!analysis) return [song.name, song.path, '', '', '', song.error, ...genres.map(() => ''), '', ''];
    const p = (label) => analysis.labels.indexOf(label);
    const genre = genreOf(song);
    const { novelty } = analysis;
    return [song.name, song.path, genre, p(genre) < 0 ? '' : analysis.proba[p(genre)], song.correction ? analysis.label : '', '',
      ...genres.map((label) => (p(label) < 0 ? '' : analysis.proba[p(label)])),
      novelty ? novelty.score : '', novelty ? String(novelty.novel) : ''];
  });
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
function field(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Offers `data` (text or bytes) to the user as a download named `name`.
export function download(data, name, type = 'text/csv') {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([data], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);  // long after the download has started
}
