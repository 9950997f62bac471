// The guided player: walks the steps the server built (bumpwell.domain.session_flow) with the same moves.
// Before each exercise it says and shows the first step and the key cue (from the exercise's card) and waits for
// "Ready" (or counts the set-up time down once the instruction has been said; "More time" extends it). Speech is a
// queue: an utterance is never cancelled by the next one, and a countdown starts only when its instruction ends.
(function () {
  "use strict";
  var root = document.getElementById("player");
  if (!root) { return; }
  var el = function (id) { return document.getElementById(id); };
  var data = function (id) { return JSON.parse(el(id).textContent); };
  var guide = data("guide"), words = data("words"), steps = setupSteps(data("steps"));
  var sessionId = root.dataset.session, person = root.dataset.person, csrf = root.dataset.csrf;
  var api = "/api/v1/people/" + person + "/sessions/" + sessionId;
  var synth = "speechSynthesis" in window ? window.speechSynthesis : null;
  var state = { index: 0, paused: false, ended: false, stopped: false, left: 0, counting: false, token: 0 };
  var timer = null, lock = null, lastItem = null, swapped = {}, audio = null;
  var prefs = { muted: pref("bw-muted"), buzz: pref("bw-buzz"), tone: pref("bw-tone") };
  var total = new Set(steps.map(function (s) { return s.item; }).filter(function (i) { return i !== null; })).size;

  function pref(key) { return localStorage.getItem(key) === "1"; }
  // the change-over rest before an exercise is that exercise's set-up time
  function setupSteps(list) {
    var out = [];
    list.forEach(function (step) {
      var before = out[out.length - 1];
      if (step.kind === "intro" && before && before.kind === "rest" && before.item === step.item) {
        out[out.length - 1] = Object.assign({}, step, { seconds: before.seconds + step.seconds });
      } else { out.push(step); }
    });
    return out;
  }
  function clock(seconds) {  // 1620 reads 27:00
    return seconds >= 60 ? Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0") : String(seconds);
  }
  function fill(template, values) { return template.replace(/\{(\w+)\}/g, function (_m, k) { return String(values[k]); }); }
  function info(step) { return guide.exercises[step.exercise] || { name: step.exercise, first: "", cue: "", squeeze: false, figure: false }; }
  // what to say for a step, from the exercise's card: never only "Hold."
  function words_for(step) {
    var ex = info(step), of = step.reps ? fill(words.of, step) : "";
    if (step.kind === "intro") { return [ex.name + ".", ex.first, ex.cue, words.ready_prompt].join(" "); }
    if (step.kind === "rep") { return ex.squeeze ? fill(words.quick, step) : [ex.cue, of + "."].join(" "); }
    if (step.kind === "hold") { return [ex.squeeze ? "" : ex.cue, step.say, of + "."].join(" ").trim(); }
    if (step.kind === "timed") { return [step.say, words.breathe].join(" "); }
    return step.say;
  }
  function say(text, done) {
    var finished = false, end = function () { if (!finished) { finished = true; if (done) { done(); } } };
    if (prefs.muted || !synth || !text) { end(); return; }
    var u = new SpeechSynthesisUtterance(text);
    u.lang = document.documentElement.lang || "en-GB";
    u.onend = end; u.onerror = end;
    synth.speak(u);
    setTimeout(end, 2000 + text.length * 110);  // a voice that never says "end" does not hold the session up
  }
  function busy() { return synth && (synth.speaking || synth.pending); }
  function detail(step) {
    var parts = [];
    if (step.sets && step.sets > 1 && step.set) { parts.push(fill(words.set, step)); }
    if (step.side) { parts.push(step.side + " side"); }
    return parts.join(", ");
  }
  function logItem(position, body) {
    window.bwQueue.post(api + "/progress", Object.assign({ position: position, status: "done" }, body || {}), csrf);
  }
  function squeezeBar(step) {
    var bar = el("squeeze"), ex = info(step), on = ex.squeeze && ["hold", "relax", "rep"].indexOf(step.kind) >= 0;
    bar.hidden = !ex.squeeze;
    if (!on) { bar.dataset.phase = "rest"; return; }
    var quick = step.kind === "rep", squeezing = step.kind !== "relax";
    bar.style.setProperty("--squeeze-s", (quick ? 0.6 : step.seconds) + "s");
    bar.dataset.phase = squeezing ? "squeeze" : "relax";
    el("squeeze-word").textContent = squeezing ? words.squeeze : words.let_go;
    if (quick) { setTimeout(function () { bar.dataset.phase = "relax"; el("squeeze-word").textContent = words.let_go; bar.style.setProperty("--squeeze-s", "0.9s"); }, 700); }
    if (squeezing) { cueBody(quick ? 150 : 400); }
  }
  function cueBody(ms) {
    if (prefs.buzz && "vibrate" in navigator) { navigator.vibrate(ms); }
    if (prefs.tone && (window.AudioContext || window.webkitAudioContext)) {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 660; gain.gain.value = 0.08; osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + Math.min(ms, 300) / 1000);
    }
  }
  function show() {
    var step = steps[state.index], token = ++state.token;
    if (step.exercise && step.exercise !== lastItem) {
      el("exercise-name").textContent = info(step).name;
      if (info(step).figure) { el("figure").src = "/figures/" + step.exercise + ".svg"; }
      lastItem = step.exercise;
    }
    if (step.item !== null) { el("progress").textContent = fill(words.progress, { n: step.item + 1, total: total }); }
    var text = words_for(step), setup = step.kind === "intro";
    el("say").textContent = step.kind === "intro" ? [info(step).first, info(step).cue].join(" ") : text;
    el("detail").textContent = detail(step);
    el("ready").hidden = !setup; el("more-time").hidden = !setup; el("next").hidden = setup || step.kind === "done";
    state.left = step.seconds; state.counting = false;
    el("count").textContent = step.kind === "rep" ? fill(words.of, step) : (step.seconds ? clock(step.seconds) : "");
    squeezeBar(step);
    // the countdown waits for the instruction to end
    say(text, function () { if (token === state.token) { state.counting = true; } });
  }
  // the same moves as bumpwell.domain.session_flow.move
  function move(how) {
    if (state.ended || state.stopped) { return; }
    if (how === "stop") { state.stopped = true; state.paused = false; return; }
    if (how === "pause") { state.paused = true; return; }
    if (how === "resume") { state.paused = false; return; }
    if (state.paused) { return; }
    var last = steps.length - 1, before = steps[state.index];
    if (how === "skip_exercise") {
      while (state.index < last && steps[state.index].item === before.item) { state.index += 1; }
    } else { state.index = Math.min(state.index + 1, last); }
    state.ended = state.index === last;
    var left = state.ended || steps[state.index].item !== before.item;
    if (before.item !== null && left && how !== "skip_exercise" && !swapped[before.item]) { logItem(before.item); }
  }
  function advance(how) { move(how || "finish_step"); if (state.ended) { finish(); } else { show(); } }
  function tick() {
    if (state.paused || state.ended || state.stopped || !state.counting) { return; }
    state.left -= 1;
    var step = steps[state.index];
    if (state.left > 0) {
      if (step.kind !== "rep") { el("count").textContent = clock(state.left); }
      if (state.left <= 3 && step.kind !== "rep" && !busy()) { say(String(state.left)); }
      return;
    }
    advance();
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
    el("start").hidden = true; el("pause").hidden = false;
    show(); wake(); timer = setInterval(tick, 1000);
    // keep what the rest of the session needs for offline use: the after page and every exercise's figure
    // (bw-session: dropped when the session ends and at logout)
    if ("caches" in window) {
      var urls = ["/session/" + sessionId + "/after"];
      Object.keys(guide.exercises).forEach(function (id) { if (guide.exercises[id].figure) { urls.push("/figures/" + id + ".svg"); } });
      caches.open("bw-session").then(function (c) { return c.addAll(urls); }).catch(function () {});
    }
  });
  el("ready").addEventListener("click", function () { if (!state.paused) { advance(); } });
  el("more-time").addEventListener("click", function () {
    state.left += guide.more_time_s; el("count").textContent = clock(state.left); say(words.more_time);
  });
  el("pause").addEventListener("click", function () {
    if (state.paused) { move("resume"); el("pause").textContent = "Pause"; if (synth) { synth.resume(); } }
    else { move("pause"); el("pause").textContent = "Resume"; if (synth) { synth.pause(); } }
  });
  el("next").addEventListener("click", function () { if (!state.paused) { advance(); } });
  // Voice (on unless muted), Vibration and Tone (off until chosen): each remembered on this phone
  function toggle(id, key, invert) {
    var paint = function () { el(id).setAttribute("aria-pressed", String(invert ? !prefs[key] : prefs[key])); };
    el(id).addEventListener("click", function () {
      prefs[key] = !prefs[key]; localStorage.setItem("bw-" + key, prefs[key] ? "1" : "0"); paint();
      if (key === "muted" && prefs.muted && synth) { synth.cancel(); }  // she asked for silence
    });
    paint();
  }
  toggle("mute", "muted", true);
  toggle("buzz", "buzz", false);
  toggle("tone", "tone", false);
  if (!("vibrate" in navigator)) { el("buzz").hidden = true; }

  function stopSession(reason, pain) {
    move("stop"); clearInterval(timer); release();
    if (synth) { synth.cancel(); }  // she stopped: the voice stops with her
    var body = { reason: reason };
    if (pain !== undefined) { body.pain_after = pain; }
    window.bwQueue.post(api + "/stop", body, csrf);
    if (reason === "warning_sign") { window.location.href = "/check/signs"; return; }
    el("say").textContent = words.stopped; el("count").textContent = ""; el("detail").textContent = "";
    el("squeeze").hidden = true;
    say(words.stopped);
    setTimeout(function () { window.location.href = "/today"; }, 2500);
  }
  function ask(dialog, answer) {
    var wasPaused = state.paused; move("pause");
    dialog.returnValue = ""; dialog.showModal();
    dialog.onclose = function () {
      var value = dialog.returnValue;
      if (!value || value === "cancel") { if (!wasPaused) { move("resume"); } return; }
      answer(value);
    };
  }
  el("stop").addEventListener("click", function () {
    ask(el("stop-dialog"), function (reason) {
      if (reason === "pain") { move("resume"); hurts(); } else { stopSession(reason); }
    });
  });
  el("warning").addEventListener("click", function () { stopSession("warning_sign"); });
  el("hurts").addEventListener("click", hurts);
  function hurts() {
    var step = steps[state.index], easier = step.item !== null && guide.easier[String(step.item)];
    var choice = el("hurt-easier");
    choice.hidden = !easier || swapped[step.item];
    if (easier) { choice.textContent = fill(words.easier, { name: guide.exercises[easier[0].exercise].name }); }
    el("hurt-form").reset();
    ask(el("hurt-dialog"), function (value) {
      var pain = Number(new FormData(el("hurt-form")).get("pain"));
      move("resume");
      if (value === "end") { stopSession("pain", pain); return; }
      logItem(step.item, { status: value === "skip" ? "skipped" : "partial", pain: pain });
      if (value === "skip") { advance("skip_exercise"); return; }
      swapped[step.item] = true;  // the easier version replaces what is left of this exercise
      var end = state.index;
      while (end < steps.length - 1 && steps[end].item === step.item) { end += 1; }
      steps.splice.apply(steps, [state.index, end - state.index].concat(easier));
      lastItem = null; show();
    });
  }
  function online() { el("offline").hidden = navigator.onLine; }
  window.addEventListener("online", online); window.addEventListener("offline", online); online();
})();
