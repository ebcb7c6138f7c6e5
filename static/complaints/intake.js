// Intake page: show possible repeats while the clerk types, and the fields that fit the chosen outcome.
// Personal data goes in a POST body with the CSRF token, never into a URL.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var url = form.dataset.repeatsUrl;
  var list = document.getElementById("repeat-list");
  var chosen = document.getElementById("repeat-chosen");
  var repeatInput = form.querySelector("[name=repeat_of]");
  var timer = null;
  var lastQuery = "";

  function field(name) { return form.querySelector("[name=" + name + "]"); }

  function showOutcome() {
    var checked = form.querySelector("[name=outcome]:checked");
    var value = checked ? checked.value : "";
    form.querySelectorAll("[data-outcome]").forEach(function (block) {
      block.classList.toggle("d-none", value !== "" && block.dataset.outcome !== value);
    });
  }

  function choose(item) {
    repeatInput.value = item.id;
    var radio = form.querySelector("[name=outcome][value=repeat]");
    if (radio) { radio.checked = true; }
    showOutcome();
    chosen.textContent = "将作为重复件并入 " + item.number + "（" + item.summary + "）";
    chosen.classList.remove("d-none");
  }

  function render(results) {
    list.textContent = "";
    if (!results.length) { return; }
    var title = document.createElement("div");
    title.className = "small fw-bold text-warning-emphasis";
    title.textContent = "可能的重复件（近12个月同一来件人）：";
    list.appendChild(title);
    results.forEach(function (item) {
      var row = document.createElement("div");
      row.className = "border rounded p-1 mb-1 small repeat-candidate";
      var link = document.createElement("a");
      link.href = item.url;
      link.target = "_blank";
      link.textContent = item.number;
      row.appendChild(link);
      var text = document.createElement("span");
      text.textContent = " " + item.received_on + " " + (item.name ? item.name + " " : "") + item.status + " " +
        (item.institution || "") +
        (item.same_institution ? "（同一机构）" : "") + " " + item.summary;
      row.appendChild(text);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-warning ms-1";
      button.textContent = "并入此案件（重复件）";
      button.addEventListener("click", function () { choose(item); });
      row.appendChild(button);
      list.appendChild(row);
    });
  }

  function lookup() {
    var body = new FormData();
    body.append("id_number", field("id_number").value.trim());
    body.append("phone", field("phone").value.trim());
    body.append("institution", field("institution").value);
    var query = [body.get("id_number"), body.get("phone"), body.get("institution")].join("|");
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (body.get("id_number").length < 18 && body.get("phone").length < 7) { render([]); return; }
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": field("csrfmiddlewaretoken").value, "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { render(data.results || []); })
      .catch(function () { render([]); });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 300);
  }

  ["id_number", "phone"].forEach(function (name) { field(name).addEventListener("input", schedule); });
  field("institution").addEventListener("change", schedule);
  form.querySelectorAll("[name=outcome]").forEach(function (radio) { radio.addEventListener("change", showOutcome); });
  showOutcome();
  schedule();
})();
