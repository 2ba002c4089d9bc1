// The teach view: the user's own genres, from a folder whose subfolders are the genres (the
// subfolder's name is the genre) or from genres set by hand in the collection (examples.js). Train
// fits a personal model in a worker from the features the collection already keeps (nothing is
// decoded again) and shows what cross-validation found (teach-report.js); the page then classifies
// the collection with it (app.js).
import { displayName, plural } from './card.js';
import { fromDrop, fromFileList } from './folder.js';
import { MIN_GENRES, MIN_SONGS_PER_GENRE, trainingExamples, trainingSet } from './examples.js';
import { drawReport } from './teach-report.js';

// A folder of genres (folder.js's choice of it, and its name): its songs, each with the genre of
// the subfolder it is in; songs outside any subfolder join the collection without a genre.
//   -> {songs: [{file, path}], skipped, taught: Map path -> genre, outside: [path], folder}
export function genreFolder({ songs, skipped }, folder) {
  const taught = new Map();
  const outside = [];
  for (const { path } of songs) {
    const parts = path.split('/');
    if (parts.length < 2) outside.push(path);
    else taught.set(path, parts[0]);
  }
  return { songs, skipped, taught, outside, folder };
}

export class TeachView {
  #root;
  #collection;
  #classifier;
  #onTrained;
  #openSong;
  #training = false;

  // root: the teach <section>; choose({songs, skipped}, taught) adds a folder's songs to the
  // collection with their genres; onTrained({blob, report, songs, genres, trainedMs}) once a
  // model is trained; openSong(path) shows a song's detail.
  constructor(root, { collection, classifier, choose, onTrained, openSong }) {
    this.#root = root;
    this.#collection = collection;
    this.#classifier = classifier;
    this.#onTrained = onTrained;
    this.#openSong = openSong;
    const input = this.#$('#teach-folder-input');
    input.addEventListener('change', () => {
      const folder = input.files[0]?.webkitRelativePath.split('/')[0] ?? '';
      if (input.files.length) this.#chooseFolder(genreFolder(fromFileList(input.files), folder), choose);
      input.value = '';  // choosing the same folder again still fires `change`
    });
    // A folder dropped here is a folder of genres (anywhere else, app.js adds it to the collection).
    root.addEventListener('drop', (event) => {
      event.preventDefault();  // tells app.js's handler for the page that the drop is taken
      root.classList.remove('dragging');
      const folder = event.dataTransfer.items[0]?.webkitGetAsEntry?.()?.name ?? '';  // while the drop runs
      fromDrop(event.dataTransfer).then((chosen) => this.#chooseFolder(genreFolder(chosen, folder), choose));
    });
    root.addEventListener('dragover', () => root.classList.add('dragging'));
    root.addEventListener('dragleave', (event) => { if (!root.contains(event.relatedTarget)) root.classList.remove('dragging'); });
    this.#$('#train').addEventListener('click', () => this.#train());
    collection.addEventListener('change', () => this.#drawExamples());
    this.#drawExamples();
  }

  #$(selector) { return this.#root.querySelector(selector); }

  #error(message) {
    this.#$('.teach-error').textContent = message ?? '';
    this.#$('.teach-error').hidden = !message;
  }

  #chooseFolder(folder, choose) {
    const outside = folder.outside.length;
    const outsideText = `${plural(outside, 'song')} of “${folder.folder}” ${outside === 1 ? 'lies' : 'lie'} outside any genre subfolder`;
    if (folder.taught.size === 0) {
      this.#error(`“${folder.folder}” has no audio in subfolders${outside ? ` (${outsideText})` : ''}. `
        + 'Make one subfolder per genre, named after it, holding its songs.');
      return;
    }
    this.#error(outside
      ? `${outsideText} and teach${outside === 1 ? 'es' : ''} nothing: ${folder.outside.slice(0, 3).join(', ')}${outside > 3 ? '…' : ''}.`
      : null);
    choose({ songs: folder.songs, skipped: folder.skipped }, folder.taught);
  }

  // The genres so far, with their songs, and whether Train can run.
  #drawExamples() {
    const { examples, counts, waiting, failed, duplicate } = trainingExamples(this.#collection.all());
    const list = this.#$('.teach-genres');
    list.replaceChildren(...[...counts].map(([genre, n]) => {
      const item = document.createElement('li');
      item.dataset.genre = genre;
      item.dataset.count = n;
      item.textContent = `${displayName(genre)}: ${plural(n, 'song')}`;
      if (n < MIN_SONGS_PER_GENRE) {
        item.className = 'short';
        item.append(` (needs ${MIN_SONGS_PER_GENRE - n} more)`);
      }
      return item;
    }));
    const parts = [examples.length ? `${plural(examples.length, 'song')} in ${plural(counts.size, 'genre')} to learn from` : 'No songs have a genre of yours yet'];
    if (waiting) parts.push(`${waiting} still being analysed`);
    if (failed) parts.push(`${failed} could not be analysed (left out)`);
    if (counts.size > 0 && counts.size < MIN_GENRES) parts.push(`a model needs at least ${MIN_GENRES} genres`);
    if (!this.#training) this.#$('.teach-status').textContent = `${parts.join(' · ')}.`;
    this.#$('#train').disabled = this.#training || examples.length === 0;
    if (duplicate) this.#error(duplicate);
  }

  async #train() {
    const { examples, duplicate } = trainingExamples(this.#collection.all());
    if (duplicate) return this.#error(duplicate);
    this.#error(null);
    this.#training = true;
    this.#$('#train').disabled = true;
    this.#$('.teach-status').textContent = `Training on ${plural(examples.length, 'song')}…`;
    const set = trainingSet(examples);
    const started = performance.now();
    try {
      const { blob, report } = await this.#classifier.train(set);
      const trained = { blob, report, songs: set.songs, genres: set.genres, trainedMs: performance.now() - started };
      this.showReport(trained);
      this.#training = false;
      await this.#onTrained(trained);
    } catch (error) {
      this.#error(`Could not train: ${error.message}.`);
    } finally {
      this.#training = false;
      this.#drawExamples();
    }
  }

  // The report of the model trained now, or kept from an earlier visit.
  showReport(trained) {
    const report = this.#$('.teach-report');
    drawReport(report.querySelector('.teach-findings'), trained, this.#openSong);
    report.hidden = false;
  }
}
