// The collection as a table: one compact row per song (name, folder, duration, genre, confidence,
// second genre), sortable by any column, filtered by genre and searched by name. Only the rows in
// view are in the DOM (plus a few either side), so 2,000 songs scroll as smoothly as 20; it is
// redrawn when the collection announces a batch of changes, not for every song.
import { confidenceOf, genreOf, secondGenreOf } from './collection.js';
import { displayName, formatTime, percent } from './card.js';

const ROW_PX = 40;  // every row's height, as .song-row in style.css
const OVERSCAN = 8;  // rows drawn beyond each edge of the view


// Column key -> how its cells sort and read. A song without a value (still waiting, failed) sorts last.
const COLUMNS = {
  name: { sortBy: (s) => s.name, show: (s) => s.name },
  folder: { sortBy: (s) => s.folder, show: (s) => s.folder },
  duration: { sortBy: (s) => s.durationSeconds ?? null, show: (s) => (s.durationSeconds ? formatTime(s.durationSeconds) : '') },
  genre: { sortBy: genreOf, show: (s) => (genreOf(s) ? displayName(genreOf(s)) : s.error ?? s.stage) },
  confidence: { sortBy: confidenceOf, show: (s) => (s.analysis ? percent(confidenceOf(s)) : '') },
  second: { sortBy: secondGenreOf, show: (s) => (secondGenreOf(s) ? displayName(secondGenreOf(s)) : '') },
};

export class SongTable {
  #collection;
  #headers;
  #genreFilter;
  #body;
  #spacer;
  #onOpen;
  #view = [];  // the songs shown, in order
  #sort = { key: 'name', direction: 1 };
  #filter = { genre: '', search: '' };
  #drawn = { first: -1, last: -1 };

  // root: the element holding a button[data-sort] per column header, select.genre-filter,
  // input.song-search and .song-table-body; onOpen(path) when a row is chosen.
  constructor(root, collection, onOpen) {
    this.#collection = collection;
    this.#onOpen = onOpen;
    this.#body = root.querySelector('.song-table-body');
    this.#spacer = document.createElement('div');
    this.#spacer.className = 'song-table-spacer';
    this.#body.append(this.#spacer);
    this.#body.addEventListener('scroll', () => this.#draw());
    new ResizeObserver(() => this.#draw(true)).observe(this.#body);
    for (const button of root.querySelectorAll('[data-sort]')) {
      button.addEventListener('click', () => this.sortBy(button.dataset.sort));
    }
    this.#spacer.addEventListener('click', (event) => this.#open(event));
    this.#spacer.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') this.#open(event); });
    this.#headers = [...root.querySelectorAll('[data-sort]')];
    this.#genreFilter = root.querySelector('select.genre-filter');
    this.#genreFilter.addEventListener('change', () => this.filter({ genre: this.#genreFilter.value }));
    const search = root.querySelector('input.song-search');
    search.addEventListener('input', () => this.filter({ search: search.value }));
    collection.addEventListener('change', () => this.refresh());
  }

  sortBy(key) {
    this.#sort = { key, direction: this.#sort.key === key ? -this.#sort.direction : 1 };
    for (const header of this.#headers) {
      header.closest('[role=columnheader]').setAttribute('aria-sort', header.dataset.sort !== key ? 'none'
        : this.#sort.direction > 0 ? 'ascending' : 'descending');
    }
    this.refresh();
  }

  // genre: a label, or '' for all; search: part of the name, in any case.
  filter(fields) {
    this.#filter = { ...this.#filter, ...fields };
    this.refresh();
  }

  get shown() { return this.#view.length; }

  refresh() {
    this.#genreChoices();
    const { genre, search } = this.#filter;
    const needle = search.trim().toLocaleLowerCase();
    const sortBy = COLUMNS[this.#sort.key].sortBy;
    const { direction } = this.#sort;
    this.#view = this.#collection.all()
      .filter((song) => (!genre || genreOf(song) === genre) && (!needle || song.path.toLocaleLowerCase().includes(needle)))
      .map((song) => ({ song, key: sortBy(song) }))
      .sort((a, b) => compare(a.key, b.key, direction) || compare(a.song.path, b.song.path, 1))
      .map(({ song }) => song);
    this.#spacer.style.height = `${this.#view.length * ROW_PX}px`;
    this.#body.style.setProperty('--rows', Math.max(1, this.#view.length));  // a short table is no taller than its rows
    this.#draw(true);
  }

  // The genre filter offers the genres the collection has (kept while it has none of a genre).
  #genreChoices() {
    const genres = [...new Set(this.#collection.all().map(genreOf).filter(Boolean))].sort();
    if (this.#filter.genre && !genres.includes(this.#filter.genre)) genres.push(this.#filter.genre);
    const offered = [...this.#genreFilter.options].slice(1).map((o) => o.value);
    if (offered.join() === genres.join()) return;
    this.#genreFilter.replaceChildren(new Option('All genres', ''), ...genres.map((g) => new Option(displayName(g), g)));
    this.#genreFilter.value = this.#filter.genre;
  }

  // Draws the rows in view; `force` redraws them even when the same rows are in view.
  #draw(force = false) {
    const first = Math.max(0, Math.floor(this.#body.scrollTop / ROW_PX) - OVERSCAN);
    const last = Math.min(this.#view.length, Math.ceil((this.#body.scrollTop + this.#body.clientHeight) / ROW_PX) + OVERSCAN);
    if (!force && first === this.#drawn.first && last === this.#drawn.last) return;
    this.#drawn = { first, last };
    this.#spacer.replaceChildren(...this.#view.slice(first, last).map((song, i) => this.#row(song, first + i)));
  }

  #row(song, index) {
    const row = document.createElement('div');
    row.className = 'song-row song-grid';
    row.setAttribute('role', 'row');
    row.tabIndex = 0;
    row.style.transform = `translateY(${index * ROW_PX}px)`;
    row.dataset.path = song.path;
    row.dataset.state = song.state;
    if (genreOf(song)) row.dataset.genre = genreOf(song);
    if (song.analysis) row.dataset.proba = JSON.stringify(Array.from(song.analysis.proba));
    if (song.correction) row.dataset.corrected = '';
    for (const [key, column] of Object.entries(COLUMNS)) {
      const cell = document.createElement('span');
      cell.className = `cell ${key}`;
      cell.setAttribute('role', 'cell');
      cell.textContent = column.show(song);
      cell.title = cell.textContent;
      if (key === 'genre' && song.correction) {
        const mark = document.createElement('span');
        mark.className = 'corrected-mark';
        mark.textContent = 'set by hand';
        cell.title = `Set by hand; the classifier said ${displayName(song.analysis?.label ?? 'nothing')}`;
        cell.append(' ', mark);
      }
      row.append(cell);
    }
    return row;
  }

  #open(event) {
    const row = event.target.closest('.song-row');
    if (!row) return;
    event.preventDefault();
    this.#onOpen(row.dataset.path);
  }
}

function compare(a, b, direction) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;  // empty cells last, either way
  if (b === null || b === undefined) return -1;
  const order = typeof a === 'number' ? a - b : String(a).localeCompare(String(b));
  return direction * order;
}
