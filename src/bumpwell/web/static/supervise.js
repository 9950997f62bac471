// The supervisor's page, kept open: ask every few seconds who asks for them now, and draw those requests without
// a reload (the page works without this script; a reload shows the same).
(function () {
  "use strict";
  var box = document.getElementById("asking");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var csrf = box.getAttribute("data-csrf");
  var EVERY_MS = 5000;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function card(asked) {
    var section = el("section", "", "card asking");
    section.setAttribute("data-request", asked.id);
    section.setAttribute("aria-labelledby", "ask-" + asked.id);
    var title = el("h2", asked.name + " is about to start a session");
    title.id = "ask-" + asked.id;
    section.appendChild(title);
    if (asked.confirmed_by_name) {
      section.appendChild(el("p", asked.confirmed_by_name + " confirmed. She can start now."));
      return section;
    }
    section.appendChild(el("p", "Only confirm if you are with her now."));
    var form = el("form");
    form.method = "post";
    form.action = "/supervise/confirm/" + encodeURIComponent(asked.id);
    var token = el("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = csrf;
    form.appendChild(token);
    var button = el("button", "I'm here with " + asked.name, "button primary big");
    button.type = "submit";
    form.appendChild(button);
    section.appendChild(form);
    return section;
  }

  function key(items) {
    return items.map(function (a) { return a.id + ":" + (a.confirmed_by_name || ""); }).join(",");
  }

  var shown = key(Array.prototype.map.call(box.querySelectorAll("[data-request]"), function (node) {
    return { id: node.getAttribute("data-request"), confirmed_by_name: node.querySelector("form") ? "" : "?" };
  }));

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.asking) { return; }
        var now = key(data.asking.map(function (a) {
          return { id: a.id, confirmed_by_name: a.confirmed_by_name ? "?" : "" };
        }));
        if (now === shown) { return; }
        shown = now;
        box.replaceChildren.apply(box, data.asking.map(card));
      })
      .catch(function () { /* offline for a moment, or logged out: the next try, or a reload, will do */ });
  }

  window.setInterval(check, EVERY_MS);
})();
