// A song's detail, opened from its row: the card (card.js: genre, bars, timeline, base models, or
// why it failed), a choice to set its genre by hand (one of the model's, or one of the user's own:
// a song with a genre set by hand is an example for the teach view), and "more like this".
import { displayName, FileCard } from './card.js';
import { taughtGenreOf } from './examples.js';
import { moreLikeThis } from './similar.js';

export class SongDetail {
  #dialog;
  #collection;
  #classifier;
  #onCorrect;
  #path = null;

  // dialog: the <dialog> holding .detail-card, select.correction and .similar-list;
  // onCorrect(song) after the user sets or clears a song's genre.
  constructor(dialog, collection, classifier, onCorrect) {
    this.#dialog = dialog;
    this.#collection = collection;
    this.#classifier = classifier;
    this.#onCorrect = onCorrect;
    this.#$('select.correction').addEventListener('change', (event) => this.#correct(event.target.value || null));
    this.#$('.new-genre-row').addEventListener('submit', (event) => {
      event.preventDefault();
      const genre = this.#$('input.new-genre').value.trim();
      if (genre) this.#correct(genre);
    });
    this.#$('.similar-list').addEventListener('click', (event) => {
      const item = event.target.closest('[data-path]');
      if (item) this.open(item.dataset.path);
    });
    this.#dialog.addEventListener('close', () => { this.#path = null; });
  }

  #$(selector) { return this.#dialog.querySelector(selector); }

  open(path) {
    const song = this.#collection.get(path);
    if (!song) return;
    this.#path = path;
    const card = new FileCard(document.querySelector('#card-template'), { name: song.path, size: song.size });
    if (song.state === 'done') card.show(song.analysis, song);
    else if (song.state === 'failed') card.fail(song.error);
    else card.progress(song.stage || 'Waiting');
    this.#$('.detail-card').replaceChildren(card.root);
    this.#correctionChoice(song);
    this.#similar(song);
    if (!this.#dialog.open) this.#dialog.showModal();
    this.#dialog.scrollTop = 0;
  }

  // The model's genres, then the user's own ones (from corrections and folders of genres).
  #correctionChoice(song) {
    const select = this.#$('select.correction');
    const { analysis } = song;
    select.closest('.correction-row').hidden = !analysis;
    this.#$('.new-genre-row').hidden = !analysis;
    if (!analysis) return;
    const own = [...new Set(this.#collection.all().map(taughtGenreOf).filter((g) => g && !analysis.labels.includes(g)))].sort();
    const name = (label) => displayName(label).replace(/^./, (c) => c.toUpperCase());
    const classifierSays = new Option(`${name(analysis.label)} (as classified)`, '');
    select.replaceChildren(classifierSays, ...[...analysis.labels.filter((l) => l !== analysis.label), ...own]
      .map((label) => new Option(name(label), label)));
    select.value = song.correction ?? '';
    this.#$('#your-genres').replaceChildren(...own.map((genre) => new Option(genre)));
    this.#$('input.new-genre').value = '';
  }

  #correct(correction) {
    const song = this.#collection.get(this.#path);
    this.#collection.update(song.path, { correction });
    this.#onCorrect(song);
    this.#correctionChoice(song);
  }

  async #similar(song) {
    const list = this.#$('.similar-list');
    const status = this.#$('.similar-status');
    list.replaceChildren();
    status.textContent = song.vector ? 'Finding the nearest songs…' : 'Only songs that were analysed have neighbours.';
    if (!song.vector) return;
    try {
      const found = await moreLikeThis(this.#classifier, this.#collection.all(), song.path);
      if (this.#path !== song.path) return;  // another song was opened meanwhile
      status.textContent = found.length ? '' : 'No other song of the collection has been analysed yet.';
      list.replaceChildren(...found.map(({ song: other, similarity }) => {
        const item = document.createElement('li');
        item.dataset.path = other.path;
        item.dataset.similarity = similarity;
        const name = document.createElement('button');
        name.type = 'button';
        name.className = 'link';
        name.textContent = other.path;
        const score = document.createElement('span');
        score.className = 'similarity';
        score.textContent = `${Math.round(100 * similarity)}% similar`;
        item.append(name, ` ${displayName(other.correction ?? other.analysis.label)} · `, score);
        return item;
      }));
    } catch (error) {
      status.textContent = `Could not find similar songs: ${error.message}`;
    }
  }
}
