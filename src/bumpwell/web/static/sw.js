// bumpwell service worker: assets cache-first; pages network-first with the last copy kept for offline use.
var VERSION = "__VERSION__";
var ASSETS = "bw-assets-" + VERSION;
var PAGES = "bw-pages";
var PRECACHE = ["/static/app.css?v=" + VERSION, "/static/player.js?v=" + VERSION, "/static/queue.js?v=" + VERSION,
  "/static/after.js?v=" + VERSION, "/static/register-sw.js?v=" + VERSION, "/static/icon.svg", "/manifest.webmanifest"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (c) { return c.addAll(PRECACHE); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("bw-assets-") === 0 && k !== ASSETS; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/figures/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        var copy = response.clone();
        caches.open(ASSETS).then(function (c) { c.put(request, copy); });
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) { var copy = response.clone(); caches.open(PAGES).then(function (c) { c.put(request, copy); }); }
      return response;
    }, function () {
      return caches.match(request).then(function (hit) {
        return hit || new Response("<!doctype html><title>Offline</title><p>You are offline. Open bumpwell again when you are back online.</p>",
          { headers: { "Content-Type": "text/html; charset=utf-8" } });
      });
    }));
  }
});
