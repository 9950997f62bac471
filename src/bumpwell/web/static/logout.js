// Logging out leaves nothing of hers on this phone. Results still waiting in the offline queue are sent first;
// when they cannot be (offline, or the server does not answer) she is told and asked before they are deleted.
// Then the app's caches and storage are emptied here too (the server also answers Clear-Site-Data). Deleting the
// account from /settings asks the same question first.
(function () {
  "use strict";
  var dialog = document.getElementById("logout-dialog");
  var logout = document.getElementById("logout-form");
  if (!logout || !dialog) { return; }
  var pending = null;  // the form waiting on her answer: log out, or delete the account (data-leaves="delete")
  var stay = dialog.querySelector("button[value=stay]");
  var drop = dialog.querySelector("button[value=delete]");
  function forget() {
    try { localStorage.clear(); } catch (e) { /* storage may be off: nothing kept then */ }
    if (!("caches" in window)) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) { return caches.delete(k); }));
    }).catch(function () {});
  }
  // Logging out empties the phone before it goes; deleting the account waits for the server's answer, whose
  // Clear-Site-Data empties it only once the account is really gone (a wrong password keeps everything).
  function leave(form) {
    if (form.dataset.leaves === "delete") { form.submit(); return; }
    forget().then(function () { form.submit(); });
  }
  function ask(form, left) {
    var deleting = form.dataset.leaves === "delete";
    var what = left === 1 ? "1 result from your sessions has" : left + " results from your sessions have";
    var why = navigator.onLine ? "bumpwell could not be reached just now" : "this phone is offline";
    var it = left === 1 ? "it is" : "they are";
    var now = deleting ? "If you delete your account now, " : "If you log out now, ";
    var keep = deleting ? ". If you keep your account, " : ". If you stay logged in, ";
    document.getElementById("logout-words").textContent = what + " not reached bumpwell yet, because " + why +
      ". " + now + it + " deleted from this phone and lost" + keep + it + " sent as soon as the network is back.";
    stay.textContent = deleting ? "Keep my account" : "Stay logged in";
    drop.textContent = deleting ? "Delete them and my account" : "Delete them and log out";
    pending = form;
    dialog.showModal();
  }
  function guard(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var queue = window.bwQueue;
      (queue ? queue.flush() : Promise.resolve()).then(function () {
        var left = queue ? queue.pending() : 0;
        if (left) { ask(form, left); } else { leave(form); }
      });
    });
  }
  guard(logout);
  document.querySelectorAll("form[data-leaves=delete]").forEach(guard);
  dialog.addEventListener("close", function () {
    if (dialog.returnValue === "delete" && pending) { leave(pending); }
    pending = null;
  });
})();
