// The page: the model in use, and a collection of songs: chosen as folders or files (input or
// drag-and-drop), analysed by the workers (queue.js), shown as a table (table.js) under a summary
// (summary.js), each song's detail a click away (detail.js), kept across visits (keep.js), and
// saved as a CSV table or playlists per genre.
import { Classifier } from './classifier.js';
import { displayName } from './card.js';
import { Collection } from './collection.js';
import { SongDetail } from './detail.js';
import { download, resultsCsv } from './export.js';
import { compareNames, fromDrop, fromFileList } from './folder.js';
import { Keeper } from './keep.js';
import { modelBytes, pageModels } from './models.js';
import { playlistsZip } from './playlists.js';
import { AnalysisQueue } from './queue.js';
import { Summary } from './summary.js';
import { SongTable } from './table.js';

const $ = (selector) => document.querySelector(selector);
const classifier = new Classifier();

// --- model ----------------------------------------------------------------------------------
// The page's own models by name (models.js); the default's name is null, as the worker reports it.
const offered = new Map();
const picker = $('#model-picker');
const pageModelOf = (model) => (model.name === null ? [...offered.values()].find((m) => m.default) : offered.get(model.name));

function describeModel(model) {
  const own = pageModelOf(model);
  const source = own ? `the ${own.default ? 'default' : `“${own.name}”`} model (${own.summary})`
    : model.name ? `custom model “${model.name}”` : 'the GTZAN model';
  return `Classifying with ${source}: ${model.labels.length} genres (${model.labels.map(displayName).join(', ')}).`;
}

// The model's name goes with each result, so that a song is analysed again under another model.
let modelKey = '';

function showModel(model) {
  modelKey = model.name ?? '';
  $('#model-status').textContent = describeModel(model);
  $('#default-model').hidden = !model.name;
  $('#model-error').hidden = true;
  picker.value = pageModelOf(model)?.name ?? '';  // a custom model is none of the page's
}

function showModelError(message) {
  $('#model-error').textContent = message;
  $('#model-error').hidden = false;
}

classifier.ready.then(async ({ version, model }) => {
  $('#version').textContent = `Sonotype ${version}.`;
  try {
    for (const m of await pageModels()) {
      offered.set(m.name, m);
      picker.add(new Option(`${m.name}${m.default ? ' (default)' : ''}`, m.name));  // its summary shows once chosen
    }
    picker.disabled = false;
  } catch (error) {
    showModelError(`The list of models is not available (${error.message}); the default model is in use.`);
  }
  showModel(model);
}, (error) => {
  $('#model-status').textContent = 'The classifier is not available.';
  showModelError(error.message);
});

async function useModel(load, what) {
  try {
    showModel(await load());
  } catch (error) {
    showModelError(`Could not load ${what}: ${error.message}. The previous model is still in use.`);
    picker.value = offered.has(modelKey) ? modelKey : '';
  }
}

picker.addEventListener('change', () => {
  const chosen = offered.get(picker.value);
  if (chosen.default) useModel(() => classifier.loadDefaultModel(), 'the default model');
  else useModel(async () => classifier.loadModel(await modelBytes(chosen), chosen.name), `the “${chosen.name}” model`);
});

$('#model-input').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  event.target.value = '';  // choosing the same file again still fires `change`
  if (!file) return;
  useModel(async () => classifier.loadModel(await file.arrayBuffer(), file.name), `“${file.name}”`);
});

$('#default-model').addEventListener('click', () => useModel(() => classifier.loadDefaultModel(), 'the default model'));

// --- the collection ----------------------------------------------------------------------
const collection = new Collection();
const keeper = new Keeper((reason) => {
  $('#storage-error').textContent = `This browser cannot keep the collection (${reason}): the page works, `
    + 'but it will not remember the songs when it is closed.';
  $('#storage-error').hidden = false;
});
const summary = new Summary($('#summary'));
const queue = new AnalysisQueue(collection, classifier, () => modelKey);
const detail = new SongDetail($('#detail'), collection, classifier, (song) => keeper.save(song));
const table = new SongTable($('#collection'), collection, (path) => detail.open(path));

function redraw() {
  const songs = collection.all();
  summary.draw(songs, queue.running ? queue.run : null);
  $('#collection').hidden = songs.length === 0;
  const finished = songs.some((s) => s.state === 'done' || s.state === 'failed');
  $('#download-results').hidden = !finished;
  $('#download-playlists').hidden = !songs.some((s) => s.state === 'done');
  $('#forget').hidden = songs.length === 0;
  $('#shown-count').textContent = table.shown === songs.length ? '' : `${table.shown} of ${songs.length} songs shown`;
}
collection.addEventListener('change', redraw);
queue.addEventListener('progress', redraw);
queue.addEventListener('idle', redraw);
queue.addEventListener('finished', ({ detail: song }) => { if (song) keeper.save(song); });

// What earlier visits kept, before anything chosen now is compared with it.
const restored = keeper.open().then((songs) => songs.forEach((song) => collection.put(song)));

// songs: [{file, path}] from folder.js. A song already analysed from the same file (same size and
// time of change) by the same model is not analysed again.
async function choose({ songs, skipped }) {
  await restored;
  summary.addSkipped(skipped);
  const toAnalyse = [];
  for (const { file, path } of songs) {
    const kept = collection.get(path);
    if (kept && ['waiting', 'working'].includes(kept.state)) continue;  // already in the queue
    if (kept && ['done', 'failed'].includes(kept.state) && Keeper.unchanged(kept, file, modelKey)) continue;
    collection.put({ path, file, size: file.size, lastModified: file.lastModified, state: 'waiting', correction: kept?.correction ?? null });
    toAnalyse.push(path);
  }
  toAnalyse.sort(compareNames);
  queue.add(toAnalyse);
  const songsText = `${songs.length} song${songs.length === 1 ? '' : 's'}`;
  $('#choice-status').textContent = songs.length === 0
    ? `No audio there${skipped.length ? `: ${skipped.length} file${skipped.length === 1 ? '' : 's'} skipped` : ''}.`
    : `${songsText} chosen: ${toAnalyse.length} to analyse, ${songs.length - toAnalyse.length} already analysed.`;
  redraw();
}

$('#cancel').addEventListener('click', () => queue.cancel());

$('#forget').addEventListener('click', () => {
  queue.cancel();
  collection.clear();
  summary.clearSkipped();
  keeper.forget();
  $('#choice-status').textContent = 'The collection is forgotten: nothing of it is kept in this browser.';
});

// --- saving the results --------------------------------------------------------------------
const inPathOrder = () => collection.all().sort((a, b) => compareNames(a.path, b.path));

$('#download-results').addEventListener('click', () => {
  download(resultsCsv(inPathOrder()), 'sonotype-results.csv');
});

$('#download-playlists').addEventListener('click', () => {
  download(playlistsZip(inPathOrder()), 'sonotype-playlists.zip', 'application/zip');
});

// --- choosing folders and files -----------------------------------------------------------
for (const input of [$('#file-input'), $('#folder-input')]) {
  input.addEventListener('change', () => {
    if (input.files.length) choose(fromFileList(input.files));  // a dialog closed without a choice
    input.value = '';  // choosing the same folder again still fires `change`
  });
}

const dropZone = $('#drop-zone');
// The whole page accepts drops, so a near miss does not open the file in the tab.
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('dragging');
});
document.addEventListener('dragleave', (event) => {
  if (!event.relatedTarget) dropZone.classList.remove('dragging');
});
document.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  fromDrop(event.dataTransfer).then(choose);
});

// --- offline --------------------------------------------------------------------------------
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((error) => console.warn('No offline support:', error));
}
