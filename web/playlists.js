// One playlist per genre, as extended M3U in UTF-8 (.m3u8): #EXTM3U, then for each song an
// #EXTINF line with its duration in whole seconds and its title, and its path relative to the
// chosen folder, so that a playlist saved in that folder plays there. Corrections count: a song
// is in the playlist of the genre the user set. All of them download as one .zip (fflate).
import { zipSync, strToU8 } from './build/fflate.js';
import { genreOf } from './collection.js';
import { compareNames } from './folder.js';

// songs: the collection. -> Map genre -> playlist text, genres and songs in path order.
export function playlists(songs) {
  const byGenre = new Map();
  for (const song of [...songs].filter((s) => s.state === 'done').sort((a, b) => compareNames(a.path, b.path))) {
    const genre = genreOf(song);
    if (!byGenre.has(genre)) byGenre.set(genre, ['#EXTM3U']);
    const title = song.name.replace(/\.[^.]*$/, '');
    byGenre.get(genre).push(`#EXTINF:${Math.round(song.durationSeconds)},${title}`, song.path);
  }
  return new Map([...byGenre].sort(([a], [b]) => compareNames(a, b)).map(([genre, lines]) => [genre, `${lines.join('\n')}\n`]));
}

// The playlists as the bytes of one .zip holding GENRE.m3u8 for each genre.
export function playlistsZip(songs) {
  const files = Object.fromEntries([...playlists(songs)].map(([genre, text]) => [`${genre}.m3u8`, strToU8(text)]));
  return zipSync(files, { level: 6 });
}
