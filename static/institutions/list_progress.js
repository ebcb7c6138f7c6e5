// Polls the generation status of a quarterly list's files and shows the downloads when they are ready.
(function () {
  "use strict";
  var box = document.getElementById("files");
  if (!box) { return; }
  var progress = document.getElementById("progress");
  var bar = progress ? progress.querySelector(".progress-bar") : null;
  var label = document.getElementById("generation-label");
  var downloads = document.getElementById("downloads");

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        label.textContent = status.label + (status.error ? "：" + status.error : "");
        if (bar) {
          bar.style.width = status.progress + "%";
          progress.setAttribute("aria-valuenow", status.progress);
        }
        if (status.state === "pending" || status.state === "running") {
          progress.classList.remove("d-none");
          window.setTimeout(poll, 1000);
        } else {
          progress.classList.add("d-none");
          if (status.state === "done") { downloads.classList.remove("d-none"); }
        }
      });
  }

  if (box.dataset.state === "pending" || box.dataset.state === "running") { poll(); }
})();
