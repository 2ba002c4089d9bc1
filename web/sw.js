// Offline support: the first visit stores the page, the WebAssembly module and the default model;
// later visits work without a network. Requests go to the network first, so a redeployed site is
// picked up at once when online, and fall back to the stored copy when offline.
// Change CACHE when the list of files changes; activation deletes every older cache.
const CACHE = 'sonotype-v1';
const FILES = [
  './', 'index.html', 'style.css', 'icon.svg',
  'app.js', 'card.js', 'classifier.js', 'decode.js', 'wav.js', 'worker.js',
  'build/sonotype.js', 'build/sonotype.wasm', 'build/gtzan.sono',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.status === 200) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === 'GET' && url.origin === self.location.origin) {
    event.respondWith(networkFirst(event.request));
  }
});
