// The summary above the table: songs per genre as a bar chart, how many songs were analysed,
// failed or skipped, and while a run is under way its progress, pace (songs per minute) and the
// time left, next to its Cancel button.
import { genreOf } from './collection.js';
import { displayName, formatTime, plural } from './card.js';

const PALETTE_SIZE = 10;  // --genre-0 … --genre-9 in style.css, as card.js colours them

export class Summary {
  #root;
  #skipped = [];  // {path, reason} of every choice so far

  constructor(root) {
    this.#root = root;
  }

  addSkipped(skipped) {
    this.#skipped.push(...skipped);
  }

  clearSkipped() {
    this.#skipped = [];
  }

  // songs: the collection; run: the analysis queue's {total, finished, failed, startedAt}, or
  // null when nothing is being analysed.
  draw(songs, run) {
    const $ = (selector) => this.#root.querySelector(selector);
    this.#root.hidden = songs.length === 0 && this.#skipped.length === 0;
    const done = songs.filter((s) => s.state === 'done');
    const count = (state) => songs.filter((s) => s.state === state).length;
    const counts = [`${plural(done.length, 'song')} analysed`, `${count('failed')} failed`, this.#skippedText()];
    if (count('cancelled')) counts.push(`${count('cancelled')} not analysed (cancelled)`);
    $('.summary-counts').textContent = counts.join(' · ');
    this.#chart($('.genre-chart'), done);

    $('.run').hidden = !run;
    if (!run) return;
    const elapsedMinutes = (performance.now() - run.startedAt) / 60_000;
    const perMinute = run.finished / elapsedMinutes;
    const left = run.total - run.finished;
    $('.run progress').max = run.total;
    $('.run progress').value = run.finished;
    $('.run-status').textContent = `Analysing: ${run.finished} of ${run.total} done`
      + (run.finished > 0 ? ` · ${perMinute.toFixed(perMinute < 10 ? 1 : 0)} songs per minute · about ${formatTime((60 * left) / perMinute)} left` : '');
  }

  // "12 files skipped: not audio, 1 could not be read".
  #skippedText() {
    if (this.#skipped.length === 0) return '0 files skipped';
    const byReason = new Map();
    for (const { reason } of this.#skipped) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    return `${plural(this.#skipped.length, 'file')} skipped: ${[...byReason].map(([reason, n]) => (byReason.size === 1 ? reason : `${n} ${reason}`)).join(', ')}`;
  }

  // One bar per genre, its length the genre's share of the analysed songs (corrections counted).
  #chart(list, done) {
    const labels = [];
    for (const song of done) for (const label of song.analysis.labels) if (!labels.includes(label)) labels.push(label);
    for (const song of done) if (!labels.includes(genreOf(song))) labels.push(genreOf(song));
    const most = Math.max(1, ...labels.map((label) => done.filter((s) => genreOf(s) === label).length));
    list.replaceChildren(...labels.map((label, i) => {
      const n = done.filter((s) => genreOf(s) === label).length;
      const row = document.createElement('li');
      row.className = 'bar';
      row.dataset.label = label;
      row.dataset.count = n;
      row.style.setProperty('--c', `var(--genre-${i % PALETTE_SIZE})`);
      row.style.setProperty('--p', `${(100 * n) / most}%`);
      row.innerHTML = '<span class="bar-label"></span><span class="bar-track"><span class="bar-fill"></span></span><span class="bar-value"></span>';
      row.querySelector('.bar-label').textContent = displayName(label);
      row.querySelector('.bar-value').textContent = n;
      return row;
    }));
  }
}
