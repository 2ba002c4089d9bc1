// The page's playlists module (web/playlists.js) in Node: genres are any text the user taught or a
// model holds, and each must still become one file of the zip, never a path out of the folder
// it is unpacked into; the names are the CLI's (tests/unit/cli_collection_test.cpp holds the
// same table, "playlists: every genre gets one plain file name").
import assert from 'node:assert/strict';
import { join } from 'node:path';
import test from 'node:test';
import { pathToFileURL } from 'node:url';

import { requiredEnv } from '../support/shared.mjs';

const web = pathToFileURL(join(requiredEnv('SONOTYPE_SOURCE_DIR'), 'web/')).href;
const { playlists, playlistFileNames, playlistsZip } = await import(`${web}playlists.js`);
const { unzipSync, strFromU8 } = await import(`${web}build/fflate.js`);

const HOSTILE = [
  ['rock', 'rock.m3u8'],
  ['../escape', '_._escape.m3u8'],
  ['..', '_..m3u8'],
  ['', '_.m3u8'],
  ['a/b\\c', 'a_b_c.m3u8'],
  ['x:y*?"<>|', 'x_y______.m3u8'],
  ['line\nbreak\ttab', 'line_break_tab.m3u8'],
  ['.hidden', '_hidden.m3u8'],
  ['Rock', 'Rock (2).m3u8'],
  ['Blues, "live" é', 'Blues, _live_ é.m3u8'],
  ['a' + 'é'.repeat(150), `a${'é'.repeat(99)}.m3u8`],  // 301 bytes, cut before the character at byte 200
];

test('each genre gets a plain file name of its own, inside the folder', () => {
  assert.deepEqual(playlistFileNames(HOSTILE.map(([genre]) => genre)), HOSTILE.map(([, name]) => name));
});

const song = (path, genre, durationSeconds = 30, labels = ['../escape', 'rock']) =>
  ({ state: 'done', path, name: path.split('/').at(-1), durationSeconds, analysis: { label: genre, labels } });

test('the zip holds one safe name per genre, a # path is not read as a comment, a line break is left out', () => {
  const songs = [song('Music/a.mp3', '../escape'), song('#tag/b.mp3', '../escape', 61.4), song('Music/bad\nname.mp3', 'rock'),
    song('Music/c.mp3', 'rock')];
  const files = unzipSync(playlistsZip(songs));
  assert.deepEqual(Object.keys(files).sort(), ['_._escape.m3u8', 'rock.m3u8']);
  assert.equal(strFromU8(files['_._escape.m3u8']), '#EXTM3U\n#EXTINF:61,b\n./#tag/b.mp3\n#EXTINF:30,a\nMusic/a.mp3\n');
  assert.equal(strFromU8(files['rock.m3u8']), '#EXTM3U\n#EXTINF:30,c\nMusic/c.mp3\n');
  assert.deepEqual([...playlists(songs).keys()], ['../escape', 'rock']);
});

test('names are made distinct in the model\'s label order, as the CLI does, whichever genres have songs', () => {
  const files = unzipSync(playlistsZip([song('a.wav', 'Rock', 30, ['rock', 'Rock'])]));
  assert.deepEqual(Object.keys(files), ['Rock (2).m3u8']);
});
