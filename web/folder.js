// What the user chose, as songs: a folder from <input webkitdirectory>, files from the file input,
// or a drop of folders and files (read recursively through DataTransferItem.webkitGetAsEntry).
// Each song keeps its path relative to the chosen folder, so that playlists saved there find it.
// Files that are not audio, entries that cannot be read and the same path given twice are
// skipped, each with its reason.
//   -> {songs: [{file, path}], skipped: [{path, reason}]}

// Picked by extension or MIME type: a browser gives no type for some audio (.opus, .flac on some
// systems), and some audio has an unusual extension but an audio/* type.
const AUDIO_EXTENSIONS = new Set(['wav', 'wave', 'mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a', 'aac', 'aif', 'aiff', 'webm']);

export const SKIP_REASONS = {
  notAudio: 'not audio',
  unreadable: 'could not be read',
  duplicate: 'chosen twice',
};

export function isAudio(file) {
  const extension = file.name.includes('.') ? file.name.split('.').at(-1).toLowerCase() : '';
  return AUDIO_EXTENSIONS.has(extension) || file.type.startsWith('audio/');
}

// Files from an <input>: with webkitdirectory, webkitRelativePath starts with the chosen folder's
// own name, which a path relative to that folder leaves out.
export function fromFileList(fileList) {
  return sortOut([...fileList].map((file) => ({
    file,
    path: file.webkitRelativePath ? file.webkitRelativePath.split('/').slice(1).join('/') : file.name,
  })));
}

// A drop: one folder dropped on its own is the chosen folder; otherwise paths start at the names
// of what was dropped. The entries must be taken while the drop event runs (the list is emptied
// after it); reading them may take longer.
export async function fromDrop(dataTransfer) {
  const entries = [...dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (entries.length === 0) return fromFileList(dataTransfer.files);  // a browser without entries
  const found = [];
  const unreadable = [];
  const root = entries.length === 1 && entries[0].isDirectory ? entries[0].fullPath : '';
  await Promise.all(entries.map((entry) => walk(entry, found, unreadable)));
  const relative = (fullPath) => fullPath.slice(root.length).replace(/^\/+/, '');
  const chosen = sortOut(found.map(({ file, fullPath }) => ({ file, path: relative(fullPath) })));
  chosen.skipped.push(...unreadable.map((fullPath) => ({ path: relative(fullPath) || fullPath, reason: SKIP_REASONS.unreadable })));
  return chosen;
}

// Every file under `entry` into `found` ({file, fullPath}); a folder or file that cannot be read
// goes to `unreadable` and the walk carries on.
async function walk(entry, found, unreadable) {
  try {
    if (entry.isFile) {
      found.push({ file: await new Promise((resolve, reject) => entry.file(resolve, reject)), fullPath: entry.fullPath });
      return;
    }
    const reader = entry.createReader();
    // readEntries gives a folder's entries in batches (100 at a time in Chromium) until it gives none.
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      await Promise.all(batch.map((child) => walk(child, found, unreadable)));
    }
  } catch {
    unreadable.push(entry.fullPath);
  }
}

// Audio from the rest, in path order (as the command line lists a folder), each path once.
function sortOut(chosen) {
  const songs = [];
  const skipped = [];
  const seen = new Set();
  for (const item of [...chosen].sort((a, b) => compareNames(a.path, b.path))) {
    if (!isAudio(item.file)) skipped.push({ path: item.path, reason: SKIP_REASONS.notAudio });
    else if (seen.has(item.path)) skipped.push({ path: item.path, reason: SKIP_REASONS.duplicate });
    else {
      seen.add(item.path);
      songs.push(item);
    }
  }
  return { songs, skipped };
}

// Plain code-unit order, so that the page lists a folder in the same order on every system.
export const compareNames = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
