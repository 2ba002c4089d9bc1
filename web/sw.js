// Offline support: the first visit stores the page, the WebAssembly module and the default model;
// later visits work without a network. Requests go to the network first (revalidating the HTTP
// cache, so that a new sonotype.js never pairs with a stale sonotype.wasm), so a redeployed site
// is picked up at once when online, and fall back to the stored copy when offline.
// Bump VERSION when the list of files changes; activation deletes this site's older caches. The
// cache name holds the site's scope: other sites on the same origin (GitHub Pages puts all of a
// user's projects on one) keep theirs.
const VERSION = 'v5';
const PREFIX = `sonotype@${self.registration.scope}@`;
const CACHE = PREFIX + VERSION;
const FILES = [
  './', 'index.html', 'style.css', 'icon.svg',
  'app.js', 'card.js', 'classifier.js', 'decode.js', 'export.js', 'wav.js', 'worker.js',
  'collection.js', 'detail.js', 'folder.js', 'keep.js', 'models.js', 'playlists.js', 'queue.js', 'resample-parts.js', 'similar.js', 'summary.js', 'table.js',
  'examples.js', 'personal.js', 'reclassify.js', 'teach.js', 'teach-report.js',
  'build/sonotype.js', 'build/sonotype.wasm', 'build/gtzan.sono', 'build/models.json', 'build/fflate.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: 'no-cache' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  // 'sonotype-v1': this site's cache before cache names held the scope.
  const stale = (name) => (name.startsWith(PREFIX) && name !== CACHE) || name === 'sonotype-v1';
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter(stale).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

// The network's answer, stored for offline use without holding it back; the stored copy only when
// the network cannot be reached.
async function networkFirst(event) {
  let response;
  try {
    response = await fetch(event.request, { cache: 'no-cache' });
  } catch (offline) {
    const cached = await caches.match(event.request, { cacheName: CACHE, ignoreSearch: true });
    if (cached) return cached;
    throw offline;
  }
  if (response.status === 200) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)).catch(() => {}));
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === 'GET' && url.origin === self.location.origin) {
    event.respondWith(networkFirst(event));
  }
});
