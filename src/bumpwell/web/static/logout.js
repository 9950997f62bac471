// Logging out leaves nothing of hers on this phone. Results still waiting in the offline queue are sent first;
// when they cannot be (offline, or the server does not answer) she is told and asked before they are deleted.
// Then the app's caches and storage are emptied here too (the server also answers Clear-Site-Data).
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  var dialog = document.getElementById("logout-dialog");
  if (!form || !dialog) { return; }
  function forget() {
    try { localStorage.clear(); } catch (e) { /* storage may be off: nothing kept then */ }
    if (!("caches" in window)) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) { return caches.delete(k); }));
    }).catch(function () {});
  }
  function leave() { forget().then(function () { form.submit(); }); }
  function ask(left) {
    var what = left === 1 ? "1 result from your sessions has" : left + " results from your sessions have";
    var why = navigator.onLine ? "bumpwell could not be reached just now" : "this phone is offline";
    var they = left === 1 ? ["it is", "it is"] : ["they are", "they are"];
    document.getElementById("logout-words").textContent = what + " not reached bumpwell yet, because " + why +
      ". If you log out now, " + they[0] + " deleted from this phone and lost. If you stay logged in, " + they[1] +
      " sent as soon as the network is back.";
    dialog.showModal();
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var queue = window.bwQueue;
    (queue ? queue.flush() : Promise.resolve()).then(function () {
      var left = queue ? queue.pending() : 0;
      if (left) { ask(left); } else { leave(); }
    });
  });
  dialog.addEventListener("close", function () {
    if (dialog.returnValue === "delete") { leave(); }
  });
})();
