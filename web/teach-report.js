// What training found, drawn in the teach view: the cross-validated accuracy overall and per
// genre, which genres are taken for which (the confusion matrix), and the songs the model is
// least sure of, so that the user knows where more examples (or a fixed label) would help.
// Everything comes from the trainer's out-of-fold answers (TrainReport in sonotype.d.ts).
import { displayName, element, percent, plural } from './card.js';

const WEAK = 0.7;  // a genre right less often than this asks for more examples
const UNSURE_SHOWN = 8;

// report: train()'s report; songs, genres: the training songs' paths and given genres, in the
// order trained;
// trainedMs: how long the page waited for it. openSong(path) shows a song's detail.
export function drawReport(root, { report, songs, genres, trainedMs }, openSong) {
  const { labels, confusion, songsPerGenre, chosen } = report;
  const right = labels.map((_, g) => confusion[g][g] / songsPerGenre[g]);
  const weak = labels.filter((_, g) => right[g] < WEAK);

  const summary = element('p', 'teach-accuracy');
  summary.append(element('strong', '', `${percent(chosen.accuracy)} right`),
    ` when each song is left out of training (${report.cvScheme}, ${plural(songs.length, 'song')}, ${plural(labels.length, 'genre')}). `
    + `Model: ${chosen.model}. Trained in ${(trainedMs / 1000).toFixed(1)} s.`);

  const perGenre = element('ul', 'bars teach-per-genre');
  perGenre.setAttribute('aria-label', 'Songs right per genre, cross-validated');
  perGenre.append(...labels.map((label, g) => {
    const row = element('li', right[g] < WEAK ? 'bar weak' : 'bar');
    row.dataset.label = label;
    row.dataset.right = right[g];
    row.style.setProperty('--c', `var(--genre-${g % 10})`);
    row.style.setProperty('--p', percent(right[g]));
    const track = element('span', 'bar-track');
    track.append(element('span', 'bar-fill'));
    row.append(element('span', 'bar-label', displayName(label)), track,
      element('span', 'bar-value', `${confusion[g][g]} of ${songsPerGenre[g]}`));
    return row;
  }));

  const ask = element('p', 'teach-ask');
  ask.textContent = weak.length
    ? `${weak.map(displayName).join(', ')}: right less than ${percent(WEAK)} of the time. Add more songs of ${weak.length === 1 ? 'that genre' : 'those genres'}, `
      + 'or check the songs below: a wrong label teaches the model the wrong thing.'
    : `Every genre is right at least ${percent(WEAK)} of the time; more songs per genre still make the model surer.`;

  root.replaceChildren(summary, element('h3', '', 'Right per genre'), perGenre, ask,
    element('h3', '', 'Which genres get confused'), confusions(labels, confusion), matrix(labels, confusion),
    element('h3', '', 'Songs the model is least sure of'), unsure(report, songs, genres, openSong));
}

// "3 Reggae songs taken for R&B", most confused first.
function confusions(labels, confusion) {
  const pairs = [];
  labels.forEach((truth, t) => labels.forEach((said, p) => {
    if (t !== p && confusion[t][p] > 0) pairs.push({ truth, said, n: confusion[t][p] });
  }));
  pairs.sort((a, b) => b.n - a.n);
  if (pairs.length === 0) return element('p', 'teach-confusions', 'None: every song was given its own genre.');
  const list = element('ul', 'teach-confusions');
  list.append(...pairs.map(({ truth, said, n }) => element('li', '', `${plural(n, `${displayName(truth)} song`)} taken for ${displayName(said)}`)));
  return list;
}

// The confusion matrix: a row per true genre, a column per genre the model said.
function matrix(labels, confusion) {
  const table = element('table', 'confusion');
  table.append(element('caption', 'visually-hidden', 'Confusion matrix: rows are the genres given, columns the genres the model said'));
  const head = table.createTHead().insertRow();
  head.append(element('th', '', 'given \\ said'), ...labels.map((l) => Object.assign(element('th', '', displayName(l)), { scope: 'col' })));
  const body = table.createTBody();
  labels.forEach((label, t) => {
    const row = body.insertRow();
    row.append(Object.assign(element('th', '', displayName(label)), { scope: 'row' }));
    labels.forEach((_, p) => {
      const cell = row.insertCell();
      cell.textContent = confusion[t][p];
      if (confusion[t][p] > 0) cell.className = t === p ? 'right' : 'wrong';
    });
  });
  return table;
}

// The songs given the wrong genre out of fold, least sure first, then the least sure right ones:
// each a button that opens the song, to check its label or hear why.
function unsure({ labels, cvPredicted, cvConfidence }, songs, genres, openSong) {
  const ranked = songs.map((path, i) => ({ path, given: genres[i], said: labels[cvPredicted[i]], sure: cvConfidence[i] }))
    .sort((a, b) => (a.said === a.given) - (b.said === b.given) || a.sure - b.sure)
    .slice(0, UNSURE_SHOWN);
  const list = element('ol', 'teach-unsure');
  list.append(...ranked.map(({ path, given, said, sure }) => {
    const item = element('li', said === given ? 'right' : 'wrong');
    item.dataset.path = path;
    const name = element('button', 'link', path);
    name.type = 'button';
    name.addEventListener('click', () => openSong(path));
    item.append(name, said === given
      ? ` ${displayName(given)}, but only ${percent(sure)} sure`
      : ` labelled ${displayName(given)}; left out of training, the model said ${displayName(said)} (${percent(sure)})`);
    return item;
  }));
  return list;
}
