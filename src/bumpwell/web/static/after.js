// Offline, the after-session form is kept on the phone and sent to the API when the network is back.
(function () {
  "use strict";
  var form = document.getElementById("after-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (data.get("pain_after") === null || data.get("effort") === null) {  // nothing is assumed, offline too
      document.getElementById("after-missing").hidden = false;
      return;
    }
    var body = { pain_after: Number(data.get("pain_after")), effort: String(data.get("effort")), unusual: String(data.get("unusual") || "") };
    window.bwQueue.post(form.dataset.api + "/complete", body, String(data.get("csrf_token")));
    form.innerHTML = '<p class="saved" role="status">Saved on this phone. It will be sent when you are back online.</p>';
  });
})();
