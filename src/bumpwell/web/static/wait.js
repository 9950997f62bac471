// Waiting for a supervisor: ask every few seconds whether one has tapped "I'm here", and say so when they have.
// The Start button works without this script; it only saves pressing Start too early.
(function () {
  "use strict";
  var box = document.getElementById("wait-state");
  if (!box || !window.fetch || box.classList.contains("ready")) { return; }
  var url = box.getAttribute("data-status-url");
  var EVERY_MS = 4000;
  var UNTIL = Date.now() + 31 * 60 * 1000; // a request stays open for 30 minutes
  var timer = null;

  function say(strong, rest) {
    var p = document.createElement("p");
    var b = document.createElement("strong");
    b.textContent = strong;
    p.appendChild(b);
    p.appendChild(document.createTextNode(" " + rest));
    box.replaceChildren(p);
  }

  function check() {
    if (Date.now() > UNTIL) { window.clearInterval(timer); return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (request) {
        if (!request) { return; }
        if (request.confirmed_by_name) {
          window.clearInterval(timer);
          box.classList.add("ready");
          say(request.confirmed_by_name + " is with you.", "Press Start when you are ready.");
          var hint = document.getElementById("wait-hint");
          if (hint) { hint.hidden = true; }
        }
      })
      .catch(function () { /* offline for a moment: the next try, or the Start button, will do */ });
  }

  timer = window.setInterval(check, EVERY_MS);
})();
