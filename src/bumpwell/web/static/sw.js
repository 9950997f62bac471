// bumpwell service worker. It keeps only what is the same for everyone (static files, figures) and, while a
// session runs, what that session needs to finish offline (its after page: the "bw-session" cache, dropped when
// the session ends and at logout). Her pages are never kept: offline, a page she has not got is an offline notice.
var VERSION = "__VERSION__";
var ASSETS = "bw-assets-" + VERSION;
var SESSION = "bw-session";
var PRECACHE = ["/static/app.css?v=" + VERSION, "/static/player.js?v=" + VERSION, "/static/queue.js?v=" + VERSION,
  "/static/after.js?v=" + VERSION, "/static/logout.js?v=" + VERSION, "/static/register-sw.js?v=" + VERSION,
  "/static/icon.svg", "/manifest.webmanifest"];
var OFFLINE = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>Offline</title>" +
  "<p>You are offline. Open bumpwell again when you are back online.</p>";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (c) { return c.addAll(PRECACHE); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) {
  // every other cache goes: older assets, and the pages an older worker kept ("bw-pages")
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== ASSETS && k !== SESSION; })
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
        if (response.ok) { var copy = response.clone(); caches.open(ASSETS).then(function (c) { c.put(request, copy); }); }
        return response;
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.open(SESSION).then(function (c) { return c.match(request); }).then(function (hit) {
        return hit || new Response(OFFLINE, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
      });
    }));
  }
});
