// The app shell's service worker. It caches the shell only — the page, its script, styles,
// manifest and icons — so the app installs and opens without the network. Prices, GraphQL,
// the real-time WebSocket and /amplify_outputs.json never come from a cache: the worker does
// not answer those requests at all, so they go to the network as if it were not there.
// build.ts stamps the cache name with the build's id, so a new build installs a new cache and drops the old one.
const CACHE = 'pricestream-shell-__BUILD_ID__';
const SHELL = ['./', 'index.html', 'main.js', 'styles.css', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png', 'icons/icon-maskable-512.png'];
const SHELL_URLS = new Set(SHELL.map((path) => new URL(path, self.registration.scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('pricestream-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  url.search = '';
  if (request.method !== 'GET' || !SHELL_URLS.has(url.href)) return;
  // Network first: a running server's shell is always the newest; the cache is for offline.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          void caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? Response.error())),
  );
});
