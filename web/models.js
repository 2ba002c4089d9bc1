// The models the page offers: build/models.json (a copy of models/index.json) lists every recipe
// that tools/train.py built, and those marked "page" are copied beside it (the others are too
// large for a page's download, or for the command line only). Each has a one-line summary of its
// accuracy on music its training never saw.
const INDEX_URL = new URL('./build/models.json', import.meta.url);

// The response for `url`, or an error naming it (also the workers' way to fetch the default model).
export async function fetched(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response;
}

// Resolves with the page's models, [{name, file, summary, default}], the default first.
export async function pageModels() {
  const { models } = await (await fetched(INDEX_URL)).json();
  return models.filter((m) => m.page).sort((a, b) => Number(b.default) - Number(a.default));
}

// Resolves with the ArrayBuffer of one of them.
export async function modelBytes(model) {
  return (await fetched(new URL(`./build/${model.file}`, import.meta.url))).arrayBuffer();
}
