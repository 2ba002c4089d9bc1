// The page: the model in use, and a collection of songs: chosen as folders or files (input or
// drag-and-drop), analysed by the workers (queue.js), shown as a table (table.js) under a summary
// (summary.js), each song's detail a click away (detail.js), kept across visits (keep.js), and
// saved as a CSV table or playlists per genre; the teach view (teach.js) trains a model of the
// user's own genres, kept across visits (personal.js), and the collection is classified again from
// its kept features whenever the model in use changes (reclassify.js).
import { Classifier } from './classifier.js';
import { displayName } from './card.js';
import { Collection } from './collection.js';
import { SongDetail } from './detail.js';
import { download, resultsCsv } from './export.js';
import { compareNames, fromDrop, fromFileList } from './folder.js';
import { Keeper } from './keep.js';
import { modelBytes, pageModels } from './models.js';
import { keepModel, keptModel, markInUse } from './personal.js';
import { playlistsZip } from './playlists.js';
import { AnalysisQueue } from './queue.js';
import { reclassifyCollection } from './reclassify.js';
import { Summary } from './summary.js';
import { SongTable } from './table.js';
import { TeachView } from './teach.js';

const $ = (selector) => document.querySelector(selector);
const classifier = new Classifier();

// --- model ----------------------------------------------------------------------------------
// The page's own models by name (models.js); the default's name is null, as the worker reports it.
const offered = new Map();
const picker = $('#model-picker');
const pageModelOf = (model) => (model.name === null ? [...offered.values()].find((m) => m.default) : offered.get(model.name));

// The personal model trained in the teach view or kept from an earlier visit: {name, blob, report,
// songs, genres, trainedMs, inUse}, or null.
let personal = null;

function modelSource(model) {
  const own = pageModelOf(model);
  if (own) return `the ${own.default ? 'default' : `“${own.name}”`} model (${own.summary})`;
  if (model.name && model.name === personal?.name) return `your own model (${model.name})`;
  return model.name ? `custom model “${model.name}”` : 'the GTZAN model';
}

function describeModel(model) {
  return `Classifying with ${modelSource(model)}: ${model.labels.length} genres (${model.labels.map(displayName).join(', ')}).`;
}

// The model's name goes with each result, so that a song is analysed again under another model.
let modelKey = '';

function showModel(model) {
  modelKey = model.name ?? '';
  $('#model-status').textContent = describeModel(model);
  $('#model-in-use').textContent = `Genres by ${modelSource(model)}.`;
  $('#default-model').hidden = !model.name;
  $('#use-personal').hidden = !personal || model.name === personal.name;
  $('#model-error').hidden = true;
  picker.value = pageModelOf(model)?.name ?? '';  // a custom model is none of the page's
}

// Makes the model that `loading` resolves with the one in use, then classifies the collection
// again with it from the kept features.
async function switchModel(loading) {
  const model = await loading;
  showModel(model);
  if (personal) markInUse(model.name === personal.name).catch(() => {});
  const songs = await reclassifyCollection(collection, classifier, modelKey);
  songs.forEach((song) => keeper.save(song));
  return model;
}

function showModelError(message) {
  $('#model-error').textContent = message;
  $('#model-error').hidden = false;
}

// Settles once the default model is shown and the page's models are listed.
const started = classifier.ready.then(async ({ version, model }) => {
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
    await switchModel(load());
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

$('#use-personal').addEventListener('click', () => usePersonal());

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

// songs: [{file, path}] from folder.js; taught: path -> genre, for songs chosen in a folder of
// genres (teach.js). A song already analysed from the same file (same size and time of change) by
// the same model is not analysed again.
async function choose({ songs, skipped }, taught = new Map()) {
  await restored;
  summary.addSkipped(skipped);
  const toAnalyse = [];
  for (const { file, path } of songs) {
    const kept = collection.get(path);
    const genre = taught.get(path) ?? kept?.taught ?? null;
    if (kept && genre !== (kept.taught ?? null)) {
      collection.update(path, { taught: genre });
      if (['done', 'failed'].includes(kept.state)) keeper.save(kept);
    }
    if (kept && ['waiting', 'working'].includes(kept.state)) continue;  // already in the queue
    if (kept && ['done', 'failed'].includes(kept.state) && Keeper.unchanged(kept, file, modelKey)) continue;
    collection.put({ path, file, size: file.size, lastModified: file.lastModified, state: 'waiting', correction: kept?.correction ?? null, taught: genre });
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

// --- the teach view: a model of the user's own genres -------------------------------------
const teach = new TeachView($('#teach'), {
  collection,
  classifier,
  choose,
  openSong: (path) => detail.open(path),
  onTrained: async (trained) => {
    personal = { ...trained, name: `trained ${new Date().toLocaleString()}`, inUse: true };
    keepModel(personal).catch((error) => showModelError(`This browser cannot keep your model (${error.name}): download it to keep it.`));
    await usePersonal();
  },
});

const usePersonal = () => useModel(() => classifier.loadModel(personal.blob.slice().buffer, personal.name), 'your own model');

$('#download-model').addEventListener('click', () => {
  download(personal.blob, 'my-genres.sono', 'application/octet-stream');
});

// A model trained on an earlier visit: its report, and it in use again if it was then.
Promise.all([started, restored, keptModel()]).then(async ([, , kept]) => {
  if (!kept) return;
  personal = kept;
  teach.showReport(kept);
  if (kept.inUse) await usePersonal();
  else $('#use-personal').hidden = false;
}).catch(() => {});  // nothing kept, or no storage: the teach view starts empty

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
  dropZone.classList.remove('dragging');
  if (event.defaultPrevented) return;  // the teach view took it: a folder of genres
  event.preventDefault();
  fromDrop(event.dataTransfer).then(choose);
});

// --- offline --------------------------------------------------------------------------------
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((error) => console.warn('No offline support:', error));
}
