// The page's results as a CSV table, for sorting a collection in a spreadsheet or a script. It is
// made here and saved through a blob: URL, so it works offline and nothing leaves the page.

// One row per file, in the order given: file, genre, confidence (the genre's probability), error
// (why a file could not be classified), then the probability of each genre. Files classified
// with different models get the union of their genres, in order of appearance; a genre a file's
// model does not know is left empty. Probabilities keep every digit JavaScript prints.
//   results: [{file, analysis: {label, labels, proba}} | {file, error}]
export function resultsCsv(results) {
  const genres = [...new Set(results.flatMap((r) => r.analysis?.labels ?? []))];
  const header = ['file', 'genre', 'confidence', 'error', ...genres];
  const rows = results.map(({ file, analysis, error }) => {
    if (!analysis) return [file, '', '', error, ...genres.map(() => '')];
    const p = (label) => analysis.labels.indexOf(label);
    return [file, analysis.label, analysis.proba[p(analysis.label)], '',
      ...genres.map((label) => (p(label) < 0 ? '' : analysis.proba[p(label)]))];
  });
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
function field(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Offers `text` to the user as a download named `name`.
export function download(text, name, type = 'text/csv') {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);  // long after the download has started
}
