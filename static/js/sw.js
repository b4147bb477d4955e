// ParentPass service worker: lessons a person has opened stay readable without a network.
// Only lesson pages (which carry no personal data) and the site's own static files are kept;
// every other page goes to the network, and offline gets a plain page saying what works.
const CACHE = "parentpass-v1";
const OFFLINE = "/offline";
const LESSON = /^\/learn\/[^/]+\/[^/]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add(OFFLINE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/assets/")) {
    // content-hashed names never change: the cached copy is always right
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((response) => {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
        return response;
      }))
    );
    return;
  }
  if (request.mode !== "navigate") return;
  if (LESSON.test(url.pathname) && !url.pathname.endsWith("/quiz")) {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request).then((hit) => hit || caches.match(OFFLINE)))
    );
    return;
  }
  event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
});
