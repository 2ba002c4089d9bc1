// One result card per file: its progress, then the genre, the bar chart of all genres, the
// timeline of windows and the base models' opinions; or a clear error.
// The members the models on the page have (the default vote's, a personal model's, the stack's);
// a member of any other model shows under its node name.
const BASE_MODEL_NAMES = {
  logistic: 'Logistic · all features',
  kw_logistic: 'Logistic · best 40 features',
  kw_pca_hgb: 'Boosted trees · PCA',
  knn: 'KNN · nearest neighbours',
  svm: 'SVM · support vectors',
  mlp: 'MLP · neural network',
};
const PALETTE_SIZE = 10;  // --genre-0 … --genre-9 in style.css; larger label sets reuse colours

const genreColour = (index) => `var(--genre-${index % PALETTE_SIZE})`;
const SILENCE_COLOUR = 'var(--muted)';
export const percent = (p) => `${Math.round(100 * p)}%`;
// A probability beside others: one that rounds to 0% still shows that it is there.
const share = (p) => (p < 0.005 ? '<1%' : percent(p));
// Labels are shown as the model names them (capitalised by CSS), except where spelling differs.
export const displayName = (label) => ({ hiphop: 'hip-hop' })[label] ?? label;
const argmax = (values) => values.reduce((best, v, i) => (v > values[best] ? i : best), 0);

// "1 song", "12 songs".
export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatTime(seconds) {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class FileCard {
  // What the card ended with, for the CSV export: {file, analysis} or {file, error}; null while
  // the file is still in the queue or being worked on.
  result = null;

  constructor(template, file) {
    this.root = template.content.firstElementChild.cloneNode(true);
    this.root.dataset.file = file.name;
    this.$ = (selector) => this.root.querySelector(selector);
    this.$('.file-name').textContent = file.name;
    this.$('.file-meta').textContent = `${(file.size / 1e6).toFixed(1)} MB`;
  }

  // stage: a short sentence; fraction in [0, 1] or undefined for an indeterminate bar.
  progress(stage, fraction) {
    this.root.dataset.state = 'working';
    this.$('.progress-label').textContent = stage;
    const bar = this.$('progress');
    if (fraction === undefined) bar.removeAttribute('value');
    else bar.value = fraction;
    bar.setAttribute('aria-label', stage);
  }

  fail(message) {
    this.result = { file: this.root.dataset.file, error: message };
    this.root.dataset.state = 'failed';
    const box = this.$('.message.error');
    box.textContent = message;
    box.hidden = false;
  }

  // analysis: the classifier's answer (Analysis in sonotype.d.ts, plus the labels); times: page-side ms.
  show(analysis, { durationSeconds, decodeMs, totalMs }) {
    const { labels, proba, top } = analysis;
    this.result = { file: this.root.dataset.file, analysis };
    this.root.dataset.state = 'done';
    this.root.dataset.genre = analysis.label;
    this.root.dataset.proba = JSON.stringify(Array.from(proba));
    // Unknown novelty (a model without novelty entries) is not a warning.
    const novel = analysis.novelty?.novel === true;
    this.root.dataset.novel = novel;
    this.$('.message.novelty').hidden = !novel;
    this.$('.file-meta').textContent = `${formatTime(durationSeconds)} · ${this.$('.file-meta').textContent}`;

    const verdict = this.$('.verdict');
    verdict.style.setProperty('--c', genreColour(top));
    this.$('.verdict-genre').textContent = displayName(analysis.label);
    this.$('.verdict-confidence').textContent = `${share(proba[top])} confident`;

    this.$('.bars').replaceChildren(...labels.map((label, i) => this.#bar(label, i, proba[i], i === top)));
    this.#timeline(analysis.windows, labels, durationSeconds);
    this.$('.base-models').replaceChildren(
      ...Object.entries(analysis.base).map(([name, p]) => this.#baseModel(name, p, labels)));

    const t = analysis.timings;
    this.$('.timings').textContent = `Decoded in ${decodeMs.toFixed(0)} ms · features ${t.features.toFixed(0)} ms of computation`
      + ` · classification ${t.classify.toFixed(1)} ms · ${analysis.windows.length} window`
      + `${analysis.windows.length === 1 ? '' : 's'} · ${(totalMs / 1000).toFixed(2)} s from choosing the file`;
    this.root.dataset.totalMs = totalMs;
    this.root.dataset.decodeMs = decodeMs;
    this.$('.result').hidden = false;
  }

  #bar(label, index, p, isTop) {
    const row = element('li', isTop ? 'bar top' : 'bar');
    row.dataset.label = label;
    row.dataset.proba = p;
    row.style.setProperty('--c', genreColour(index));
    row.style.setProperty('--p', `${(100 * p).toFixed(2)}%`);
    const track = element('span', 'bar-track');
    track.append(element('span', 'bar-fill'));
    row.append(element('span', 'bar-label', displayName(label)), track, element('span', 'bar-value', share(p)));
    return row;
  }

  // Windows may overlap; each segment runs from its window's start to the next window's start.
  // Silent windows (left out of the song's answer) are grey and named silence.
  #timeline(windows, labels, durationSeconds) {
    const timeline = this.$('.timeline');
    const heard = (w) => (w.silent ? 'silence' : displayName(w.label));
    const segments = windows.map((w, i) => {
      const end = i + 1 < windows.length ? windows[i + 1].start : Math.max(w.end, durationSeconds);
      const index = labels.indexOf(w.label);
      const segment = element('span', w.silent ? 'segment silent' : 'segment');
      segment.dataset.genre = w.label;
      segment.style.setProperty('--c', w.silent ? SILENCE_COLOUR : genreColour(index));
      segment.style.left = `${(100 * w.start) / durationSeconds}%`;
      segment.style.width = `${(100 * (end - w.start)) / durationSeconds}%`;
      segment.title = `${formatTime(w.start)}–${formatTime(w.end)}: ${heard(w)}`
        + (w.silent ? '' : ` (${share(w.proba[index])})`);
      return segment;
    });
    timeline.replaceChildren(...segments);
    timeline.setAttribute('aria-label', windows.map((w) => `${formatTime(w.start)}–${formatTime(w.end)} ${heard(w)}`).join(', '));
    this.$('.timeline-end').textContent = formatTime(durationSeconds);

    const present = labels.map((label, i) => [displayName(label), genreColour(i)])
      .filter((_, i) => windows.some((w) => !w.silent && w.label === labels[i]));
    if (windows.some((w) => w.silent)) present.push(['silence', SILENCE_COLOUR]);
    const legend = element('ul', 'legend');
    legend.append(...present.map(([name, colour]) => {
      const item = element('li');
      const swatch = element('span', 'swatch');
      swatch.style.setProperty('--c', colour);
      item.append(swatch, name);
      return item;
    }));
    this.$('.timeline-axis').after(legend);
  }

  #baseModel(name, p, labels) {
    const best = argmax(p);
    const item = element('li', 'base-model');
    item.dataset.model = name;
    item.style.setProperty('--c', genreColour(best));
    const verdict = element('span');
    verdict.append(element('span', 'base-model-genre', displayName(labels[best])), ` ${share(p[best])}`);
    // The whole distribution as one stacked strip, in the genre colours.
    const strip = element('span', 'base-model-bar');
    strip.append(...labels.map((label, i) => {
      const part = element('span');
      part.style.setProperty('--c', genreColour(i));
      part.style.width = `${100 * p[i]}%`;
      part.title = `${displayName(label)} ${share(p[i])}`;
      return part;
    }));
    item.append(element('span', 'base-model-name', BASE_MODEL_NAMES[name] ?? name), verdict, strip);
    return item;
  }
}
