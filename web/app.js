// The page: choosing files (input or drag-and-drop), decoding them here, classifying them in the
// workers, one card per file. Files go one at a time; the next file decodes while the current one
// is analysed, and a file that fails only fails its own card.
import { Classifier } from './classifier.js';
import { displayName, FileCard, formatTime } from './card.js';
import { decodeToMono, SAMPLE_RATE } from './decode.js';
import { download, resultsCsv } from './export.js';

const $ = (selector) => document.querySelector(selector);
const classifier = new Classifier();

// --- model ----------------------------------------------------------------------------------
function describeModel(model) {
  const source = model.name ? `custom model “${model.name}”` : 'the GTZAN model';
  return `Classifying with ${source}: ${model.labels.length} genres (${model.labels.map(displayName).join(', ')}).`;
}

function showModel(model) {
  $('#model-status').textContent = describeModel(model);
  $('#default-model').hidden = !model.name;
  $('#model-error').hidden = true;
}

function showModelError(message) {
  $('#model-error').textContent = message;
  $('#model-error').hidden = false;
}

classifier.ready.then(({ version, model }) => {
  showModel(model);
  $('#version').textContent = `Sonotype ${version}.`;
}, (error) => {
  $('#model-status').textContent = 'The classifier is not available.';
  showModelError(error.message);
});

$('#model-input').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  event.target.value = '';  // choosing the same file again still fires `change`
  if (!file) return;
  try {
    showModel(await classifier.loadModel(await file.arrayBuffer(), file.name));
  } catch (error) {
    showModelError(`Could not load “${file.name}”: ${error.message}. The previous model is still in use.`);
  }
});

$('#default-model').addEventListener('click', async () => {
  try {
    showModel(await classifier.loadDefaultModel());
  } catch (error) {
    showModelError(`Could not load the default model: ${error.message}`);
  }
});

// --- the queue of files ---------------------------------------------------------------------
const waiting = [];      // {file, card, chosenAt} not yet started
const allCards = [];     // every file's card, in the order chosen
const newBatch = () => ({ total: 0, finished: 0, failed: 0 });
let batch = newBatch();
let running = false;

function updateQueueStatus() {
  const { total, finished, failed } = batch;
  const files = (n) => `${n} file${n === 1 ? '' : 's'}`;
  $('#queue-status').textContent = finished === total
    ? `Done: ${files(total - failed)} classified${failed ? `, ${failed} could not be` : ''}.`
    : `Working on file ${finished + 1} of ${total}…`;
  $('#download-results').hidden = !allCards.some((card) => card.result);
  waiting.forEach(({ card }, i) => card.progress(i === 0 ? 'Next in the queue' : `In the queue: number ${i + 1}`, 0));
}

function addFiles(files) {
  if (files.length === 0) return;  // a file dialog closed without a choice
  const chosenAt = performance.now();
  if (!running) batch = newBatch();
  const cards = files.map((file) => new FileCard($('#card-template'), file));
  allCards.push(...cards);
  $('#results').prepend(...cards.map((card) => card.root));  // the newest files on top, in the order chosen
  files.forEach((file, i) => waiting.push({ file, card: cards[i], chosenAt }));
  batch.total += files.length;
  updateQueueStatus();
  if (!running) run();
}

// Resolves with the samples, or with null after showing the error on the card.
async function decode({ file, card }) {
  card.progress('Decoding…');
  const started = performance.now();
  try {
    const samples = await decodeToMono(await file.arrayBuffer(), (...args) => classifier.resample(...args));
    card.progress('Decoded; waiting for the classifier…');
    return { samples, decodeMs: performance.now() - started };
  } catch (error) {
    card.fail(error.message);
    return null;
  }
}

async function analyse({ card, chosenAt }, { samples, decodeMs }) {
  const durationSeconds = samples.length / SAMPLE_RATE;
  card.progress(`Analysing ${formatTime(durationSeconds)} of audio…`);
  try {
    const analysis = await classifier.analyse(samples, (done, total) => {
      if (done < total) card.progress(`Analysing ${formatTime(durationSeconds)} of audio: ${done} of ${total} windows done…`, done / total);
    });
    card.show(analysis, { durationSeconds, decodeMs, totalMs: performance.now() - chosenAt });
    return true;
  } catch (error) {
    card.fail(`Could not classify this file: ${error.message}`);
    return false;
  }
}

// The next file in the queue, its decoding started: {item, decoding}, or undefined.
function takeNext() {
  const item = waiting.shift();
  return item && { item, decoding: decode(item) };
}

async function run() {
  running = true;
  let current = takeNext();
  while (current) {
    const decoded = await current.decoding;
    let next = takeNext();  // decodes while this one is analysed
    updateQueueStatus();
    const classified = decoded !== null && await analyse(current.item, decoded);
    batch.finished++;
    if (!classified) batch.failed++;
    next ??= takeNext();  // a file chosen while this one was analysed
    updateQueueStatus();
    current = next;
  }
  running = false;
}

// --- saving the results --------------------------------------------------------------------
$('#download-results').addEventListener('click', () => {
  const results = allCards.map((card) => card.result).filter(Boolean);
  download(resultsCsv(results), 'sonotype-results.csv');
});

// --- choosing files -------------------------------------------------------------------------
$('#file-input').addEventListener('change', (event) => {
  addFiles([...event.target.files]);
  event.target.value = '';
});

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
  const files = [...event.dataTransfer.files];
  if (files.length) addFiles(files);
});

// --- offline --------------------------------------------------------------------------------
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((error) => console.warn('No offline support:', error));
}
