// The guided player: walks the steps the server built (bumpwell.domain.session_flow) with the same moves.
(function () {
  "use strict";
  var root = document.getElementById("player");
  if (!root) { return; }
  var steps = JSON.parse(document.getElementById("steps").textContent);
  var names = JSON.parse(document.getElementById("names").textContent);
  var sessionId = root.dataset.session, person = root.dataset.person, csrf = root.dataset.csrf;
  var api = "/api/v1/people/" + person + "/sessions/" + sessionId;
  var el = function (id) { return document.getElementById(id); };
  var state = { index: 0, paused: false, ended: false, stopped: false, left: 0 };
  var timer = null, lock = null, lastItem = null;
  var muted = localStorage.getItem("bw-muted") === "1";

  function say(text) {
    if (muted || !("speechSynthesis" in window)) { return; }
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  function detail(step) {
    var parts = [];
    if (step.reps && (step.kind === "hold" || step.kind === "relax" || step.kind === "rep")) { parts.push("Rep " + step.rep + " of " + step.reps); }
    if (step.sets && step.sets > 1 && step.set) { parts.push("set " + step.set + " of " + step.sets); }
    if (step.side) { parts.push(step.side + " side"); }
    return parts.join(", ");
  }
  function logItem(position) {
    window.bwQueue.post(api + "/progress", { position: position, status: "done" }, csrf);
  }
  function show() {
    var step = steps[state.index];
    if (step.exercise && step.exercise !== lastItem) {
      el("exercise-name").textContent = names[step.exercise] || step.exercise;
      el("figure").src = "/figures/" + step.exercise + ".svg";
      lastItem = step.exercise;
    }
    el("progress").textContent = "Step " + (state.index + 1) + " of " + steps.length;
    el("say").textContent = step.say;
    el("detail").textContent = detail(step);
    state.left = step.seconds;
    el("count").textContent = step.seconds ? String(step.seconds) : "";
    say(step.say);
  }
  // the same moves as bumpwell.domain.session_flow.move
  function move(how) {
    if (state.ended || state.stopped) { return; }
    if (how === "stop") { state.stopped = true; state.paused = false; return; }
    if (how === "pause") { state.paused = true; return; }
    if (how === "resume") { state.paused = false; return; }
    if (state.paused) { return; }
    var last = steps.length - 1, before = steps[state.index];
    state.index = Math.min(state.index + 1, last);
    state.ended = state.index === last;
    if (before.item !== null && (state.ended || steps[state.index].item !== before.item)) { logItem(before.item); }
  }
  function tick() {
    if (state.paused || state.ended || state.stopped) { return; }
    state.left -= 1;
    if (state.left > 0) { el("count").textContent = String(state.left); if (state.left <= 3) { say(String(state.left)); } return; }
    move("finish_step");
    if (state.ended) { finish(); } else { show(); }
  }
  function finish() {
    clearInterval(timer); show(); release();
    window.bwQueue.flush();
    setTimeout(function () { window.location.href = "/session/" + sessionId + "/after"; }, 1500);
  }
  function wake() {
    if ("wakeLock" in navigator) { navigator.wakeLock.request("screen").then(function (l) { lock = l; }, function () {}); }
  }
  function release() { if (lock) { lock.release(); lock = null; } }
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible" && timer && !state.ended) { wake(); } });

  el("start").addEventListener("click", function () {
    el("start").hidden = true; el("pause").hidden = false; el("next").hidden = false;
    show(); wake(); timer = setInterval(tick, 1000);
    // keep what the rest of the session needs for offline use: the after page and every exercise's figure
    // (bw-session: dropped when the session ends and at logout)
    if ("caches" in window) {
      var urls = ["/session/" + sessionId + "/after"];
      Object.keys(names).forEach(function (id) { urls.push("/figures/" + id + ".svg"); });
      caches.open("bw-session").then(function (c) { return c.addAll(urls); }).catch(function () {});
    }
  });
  el("pause").addEventListener("click", function () {
    if (state.paused) { move("resume"); el("pause").textContent = "Pause"; say("Carry on."); }
    else { move("pause"); el("pause").textContent = "Resume"; if ("speechSynthesis" in window) { window.speechSynthesis.cancel(); } }
  });
  el("next").addEventListener("click", function () {
    if (state.paused) { return; }
    move("finish_step"); if (state.ended) { finish(); } else { show(); }
  });
  function paintMute() { el("mute").textContent = muted ? "Voice off" : "Voice on"; el("mute").setAttribute("aria-pressed", String(muted)); }
  el("mute").addEventListener("click", function () {
    muted = !muted; localStorage.setItem("bw-muted", muted ? "1" : "0"); paintMute();
    if (muted && "speechSynthesis" in window) { window.speechSynthesis.cancel(); }
  });
  paintMute();
  var dialog = el("stop-dialog");
  el("stop").addEventListener("click", function () {
    var wasPaused = state.paused; move("pause");
    dialog.returnValue = ""; dialog.showModal();
    dialog.onclose = function () {
      var reason = dialog.returnValue;
      if (!reason || reason === "cancel") { if (!wasPaused) { move("resume"); } return; }
      move("stop"); clearInterval(timer); release();
      window.bwQueue.post(api + "/stop", { reason: reason }, csrf);
      if (reason === "warning_sign") { window.location.href = "/check/signs"; return; }
      el("say").textContent = "Session stopped. Rest now; your plan will be there tomorrow.";
      el("count").textContent = ""; el("detail").textContent = "";
      say("Session stopped. Rest now.");
      setTimeout(function () { window.location.href = "/today"; }, 2500);
    };
  });
  function online() { el("offline").hidden = navigator.onLine; }
  window.addEventListener("online", online); window.addEventListener("offline", online); online();
})();
