// The one poller for background jobs (core/job_status.py): while a job status fragment says it is active,
// fetch its poll URL every two seconds and swap the fragment in; stop once the job is done or failed.
(function () {
  "use strict";
  var INTERVAL = 2000;

  function poll(box) {
    window.setTimeout(function () {
      fetch(box.dataset.pollUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.querySelector("[data-job-status]");
          if (!fresh) { return; }
          box.replaceWith(fresh);
          if (fresh.dataset.active === "true") { poll(fresh); }
        })
        .catch(function () { poll(box); });
    }, INTERVAL);
  }

  document.querySelectorAll("[data-job-status][data-active='true']").forEach(poll);
})();
