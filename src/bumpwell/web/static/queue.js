// Changes made while offline wait here (localStorage) and are sent, in order, when the network is back.
(function () {
  "use strict";
  var KEY = "bw-queue";
  function read() { try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; } }
  function write(items) { localStorage.setItem(KEY, JSON.stringify(items)); }
  function send(item) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": item.csrf },
      body: JSON.stringify(item.body)
    }).then(function (r) {
      // 4xx other than 401/403 will never succeed (already stopped, say): drop it rather than block the queue
      if (r.ok || (r.status >= 400 && r.status < 500 && r.status !== 401 && r.status !== 403)) { return true; }
      throw new Error("status " + r.status);
    });
  }
  var flushing = null;  // the run in progress: a second caller waits for it (logout asks whether all went)
  function run() {
    if (!navigator.onLine) { return Promise.resolve(); }
    var items = read();
    if (!items.length) { return Promise.resolve(); }
    return send(items[0]).then(function () { write(read().slice(1)); return run(); }, function () {});
  }
  function flush() {
    if (!flushing) { flushing = run().then(function () { flushing = null; }); }
    return flushing;
  }
  function post(url, body, csrf) {
    var items = read(); items.push({ url: url, body: body, csrf: csrf, at: Date.now() }); write(items);
    return flush();
  }
  window.addEventListener("online", flush);
  window.bwQueue = { post: post, flush: flush, pending: function () { return read().length; } };
  flush();
})();
