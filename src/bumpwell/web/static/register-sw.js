// Installable and usable offline once opened: register the service worker (served from the site root).
if ("serviceWorker" in navigator) {
  // a few seconds after the page is ready, so installing the worker never slows the first paint
  window.addEventListener("load", function () {
    setTimeout(function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); }, 3000);
  });
}
// What a session kept for offline use (its after page) goes as soon as a page outside that session loads.
if ("caches" in window && !document.getElementById("player") && !document.getElementById("after-form")) {
  caches.delete("bw-session").catch(function () {});
}
