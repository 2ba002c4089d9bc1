// One playlist per genre, as extended M3U in UTF-8 (.m3u8): #EXTM3U, then for each song an
// #EXTINF line with its duration in whole seconds and its title, and its path relative to the
// chosen folder, so that a playlist saved in that folder plays there. Corrections count: a song
// is in the playlist of the genre the user set. All of them download as one .zip (fflate).
import { zipSync, strToU8 } from './build/fflate.js';
import { genreOf } from './collection.js';
import { compareNames } from './folder.js';

// songs: the collection. -> Map genre -> playlist text, genres and songs in path order. A path
// holding a line break cannot be a playlist line, so such a song is left out (the CSV lists it);
// a path starting with # gets ./ before it, else players read the line as a comment.
export function playlists(songs) {
  const byGenre = new Map();
  const listable = songs.filter((s) => s.state === 'done' && !/[\r\n]/.test(s.path));
  for (const song of listable.sort((a, b) => compareNames(a.path, b.path))) {
    const genre = genreOf(song);
    if (!byGenre.has(genre)) byGenre.set(genre, ['#EXTM3U']);
    const title = song.name.replace(/\.[^.]*$/, '');
    const line = song.path.startsWith('#') ? `./${song.path}` : song.path;
    byGenre.get(genre).push(`#EXTINF:${Math.round(song.durationSeconds)},${title}`, line);
  }
  return new Map([...byGenre].sort(([a], [b]) => compareNames(a, b)).map(([genre, lines]) => [genre, `${lines.join('\n')}\n`]));
}

// A genre is only text (taught by the user, read from a model) but must name one file of the
// zip, never a path out of the folder it is unpacked into: the CLI's rule (tools/cli/playlists.h,
// playlist_file_names): long names are cut to 200 bytes of UTF-8; separators, control characters
// and what Windows refuses in names become _; the empty name is _; a leading dot becomes _;
// names equal but for ASCII case get " (2)" and so on, in the order given.
export function playlistFileNames(genres) {
  const used = new Set();
  return genres.map((genre) => {
    let stem = genre;
    const bytes = new TextEncoder().encode(stem);
    if (bytes.length > 200) {
      let cut = 200;
      while (cut > 197 && (bytes[cut] & 0xc0) === 0x80) cut -= 1;  // not inside a character
      stem = new TextDecoder().decode(bytes.slice(0, cut));
    }
    stem = (stem.replace(/[\x00-\x1f\x7f/\\:*?"<>|]/g, '_') || '_').replace(/^\./, '_');
    const folded = (name) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());  // ASCII case only, as the CLI
    let name = `${stem}.m3u8`;
    for (let n = 2; used.has(folded(name)); n += 1) name = `${stem} (${n}).m3u8`;
    used.add(folded(name));
    return name;
  });
}

// The playlists as the bytes of one .zip holding one .m3u8 for each genre. Names are made
// distinct in the CLI's order, the model's labels (then genres only a correction gave), so that a
// genre's file is named as `classify --playlists` names it.
export function playlistsZip(songs) {
  const lists = playlists(songs);
  const labels = [...new Set(songs.flatMap((song) => song.analysis?.labels ?? []))];
  const order = [...labels, ...[...lists.keys()].filter((genre) => !labels.includes(genre))];
  const names = new Map(playlistFileNames(order).map((name, i) => [order[i], name]));
  return zipSync(Object.fromEntries([...lists].map(([genre, text]) => [names.get(genre), strToU8(text)])), { level: 6 });
}
