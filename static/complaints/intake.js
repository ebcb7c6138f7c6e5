// Intake page (templates/complaints/intake.html): the fields that apply and the required marks follow the chosen
// outcome, type and anonymity (the rules come from the server: complaints/services/intake_rules.py); the ID number
// and the phone are checked while typing; prefilled fields join the Tab path on request (Alt+M); Ctrl+Enter
// submits from a text area; possible repeats are shown while the clerk types.
// Personal data goes in a POST body with the CSRF token, never into a URL.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  var rules = JSON.parse(form.dataset.rules);
  var checks = JSON.parse(form.dataset.checks);
  var url = form.dataset.repeatsUrl;
  var list = document.getElementById("repeat-list");
  var chosen = document.getElementById("repeat-chosen");
  var repeatInput = form.querySelector("[name=repeat_of]");
  var timer = null;
  var lastQuery = "";

  function field(name) { return form.querySelector("[name=" + name + "]"); }

  // --- Which fields apply, which are required ---------------------------------------------------------------

  function currentRule() {
    var outcome = form.querySelector("[name=outcome]:checked");
    var anonymous = field("is_anonymous");
    var key = [
      outcome ? outcome.value : "",
      field("case_type").value,
      anonymous && anonymous.checked && !anonymous.disabled ? "1" : "0"
    ].join("|");
    return rules[key] || { hidden: [], required: [] };
  }

  function applyRules() {
    var rule = currentRule();
    form.querySelectorAll("[data-field]").forEach(function (block) {
      var name = block.dataset.field;
      block.hidden = rule.hidden.indexOf(name) >= 0;
      var mark = block.querySelector(":scope > label > .required-mark, :scope > legend > .required-mark");
      if (!mark) { return; }
      var required = rule.required.indexOf(name) >= 0;
      mark.hidden = !required;
      var control = document.getElementById("id_" + name);
      if (control && control.type !== "radio") {
        if (required) { control.setAttribute("aria-required", "true"); } else { control.removeAttribute("aria-required"); }
      }
    });
    // A field that does not apply is not sent: the server takes it as not given.
    form.querySelectorAll("[data-field] input, [data-field] select, [data-field] textarea").forEach(function (control) {
      control.disabled = control.closest("[data-field][hidden]") !== null;
    });
  }

  // --- Live checks of the ID number and the phone -----------------------------------------------------------

  function showCheck(input, message) {
    var box = document.getElementById(input.id + "_error");
    if (!box) { return; }
    box.textContent = message || "";
    box.classList.toggle("d-block", Boolean(message));
    input.classList.toggle("is-invalid", Boolean(message));
    if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function check(input, finished) {
    var value = input.value.trim();
    var kind = input.dataset.check;
    if (!value) { showCheck(input, ""); return; }
    var ready = kind === "phone" ? PersonalCheck.phoneReady(value) : PersonalCheck.residentIdReady(value);
    if (!finished && !ready) { showCheck(input, ""); return; }
    var failure = kind === "phone" ? PersonalCheck.phone(value) : PersonalCheck.residentId(value, checks.today);
    showCheck(input, failure ? checks[failure] : "");
  }

  form.querySelectorAll("[data-check]").forEach(function (input) {
    input.addEventListener("input", function () { check(input, false); });
    input.addEventListener("change", function () { check(input, true); });
  });

  // --- Prefilled fields: out of the Tab path until asked for ------------------------------------------------

  var toggle = document.getElementById("intake-prefilled-toggle");
  var prefilled = document.querySelectorAll("#intake-prefilled input, #intake-prefilled select");

  function setPrefilledOpen(open) {
    prefilled.forEach(function (control) {
      if (open) { control.removeAttribute("tabindex"); } else { control.setAttribute("tabindex", "-1"); }
    });
    toggle.setAttribute("aria-pressed", open ? "true" : "false");
    if (open && prefilled.length) { prefilled[0].focus(); }
  }

  toggle.addEventListener("click", function () { setPrefilledOpen(toggle.getAttribute("aria-pressed") !== "true"); });
  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === "m" || event.key === "M" || event.code === "KeyM")) {
      event.preventDefault();
      setPrefilledOpen(true);
    }
  });

  // --- Ctrl+Enter submits from anywhere in the form (Enter alone makes a new line in a text area) -----------

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });

  // --- Possible repeats -------------------------------------------------------------------------------------

  function choose(item) {
    repeatInput.value = item.id;
    var radio = form.querySelector("[name=outcome][value=repeat]");
    if (radio) { radio.checked = true; }
    applyRules();
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
      if (item.reviewed_note) {
        var reviewed = document.createElement("div");
        reviewed.className = "text-danger fw-bold";
        reviewed.setAttribute("data-testid", "repeat-reviewed");
        reviewed.textContent = item.reviewed_note;
        row.appendChild(reviewed);
      }
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
  form.querySelectorAll("[name=outcome]").forEach(function (radio) { radio.addEventListener("change", applyRules); });
  field("case_type").addEventListener("change", applyRules);
  field("is_anonymous").addEventListener("change", applyRules);
  applyRules();
  schedule();
})();
