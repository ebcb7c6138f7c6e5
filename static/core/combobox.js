// An accessible combobox over a <select data-combobox> (WAI-ARIA combobox with a listbox popup, list autocomplete
// with automatic selection). The clerk types any part of a name, its pinyin or its pinyin initials (the option's
// data-keys, computed by the server: institutions/picker.py); the first match is highlighted, Enter or Tab takes it,
// the arrow keys move, Escape closes. The select stays in the form (hidden) and carries the chosen value, so the
// form posts exactly what it posted before; without this script the select works as it is.
(function (root) {
  "use strict";
  var LIMIT = 50;

  function normalise(text) { return (text || "").toLowerCase().replace(/\s+/g, ""); }

  // 0: the short name or its pinyin starts with the text; 1: another key starts with it; 2: a key contains it.
  function score(option, query) {
    var best = 3;
    for (var i = 0; i < option.keys.length; i += 1) {
      var key = option.keys[i];
      if (key.indexOf(query) === 0) { best = Math.min(best, i === 0 ? 0 : 1); }
      else if (key.indexOf(query) > 0) { best = Math.min(best, 2); }
    }
    return best;
  }

  function enhance(select) {
    var id = select.id;
    var label = document.querySelector("label[for='" + id + "']");
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; })
      .map(function (o, index) {
        var keys = (o.getAttribute("data-keys") || o.text).split(" ").map(normalise).filter(Boolean);
        return { value: o.value, label: o.text, full: o.getAttribute("data-full-name") || "", keys: keys, index: index };
      });
    var input = document.createElement("input");
    input.type = "text";
    input.className = select.className.replace("form-select", "form-control");
    select.id = id + "_select";
    input.id = id;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "_listbox");
    input.setAttribute("autocomplete", "off");
    input.spellcheck = false;
    ["aria-describedby", "aria-required", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    var list = document.createElement("ul");
    list.id = id + "_listbox";
    list.className = "combobox-list list-unstyled border rounded bg-body shadow-sm mb-0";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
    list.hidden = true;
    var note = document.createElement("div");
    note.className = "form-text combobox-note";
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.hidden = true;
    select.tabIndex = -1;
    select.after(input, list, note, status);
    if (select.autofocus) { select.autofocus = false; input.focus(); }

    var matches = [];
    var active = -1;

    function chosen() {
      return options.filter(function (o) { return o.value === select.value; })[0] || null;
    }

    function showChosen() {
      var option = chosen();
      input.value = option ? option.label : "";
      note.textContent = option && option.full !== option.label ? option.full : "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
        item.classList.toggle("active", i === index);
      });
      if (index >= 0 && list.children[index]) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(query) {
      matches = options
        .map(function (o) { return { option: o, score: query ? score(o, query) : 0 }; })
        .filter(function (m) { return m.score < 3; })
        .sort(function (a, b) { return a.score - b.score || a.option.index - b.option.index; })
        .slice(0, LIMIT)
        .map(function (m) { return m.option; });
      list.textContent = "";
      matches.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = id + "_option_" + option.value;
        item.setAttribute("role", "option");
        item.className = "combobox-option px-2 py-1";
        item.textContent = option.label;
        if (option.full && option.full !== option.label) {
          var full = document.createElement("span");
          full.className = "small text-body-secondary ms-2";
          full.textContent = option.full;
          item.appendChild(full);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(option); });
        list.appendChild(item);
        if (i === 0) { item.setAttribute("aria-selected", "true"); }
      });
      status.textContent = matches.length ? "找到 " + matches.length + " 项，回车选中第一项" : "没有匹配的项";
      list.hidden = matches.length === 0;
      input.setAttribute("aria-expanded", matches.length ? "true" : "false");
      highlight(matches.length ? 0 : -1);
    }

    function pick(option) {
      select.value = option.value;
      close();
      showChosen();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function clear() {
      if (select.value !== "") {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      note.textContent = "";
    }

    input.addEventListener("input", function () {
      var query = normalise(input.value);
      clear();
      if (query) { open(query); } else { close(); }
    });

    input.addEventListener("keydown", function (event) {
      var expanded = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) { open(chosen() ? "" : normalise(input.value)); return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(Math.max(0, Math.min(matches.length - 1, active + step)));
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) { event.preventDefault(); pick(matches[active]); }
      } else if (event.key === "Tab") {
        if (expanded && active >= 0) { pick(matches[active]); }
      } else if (event.key === "Escape") {
        if (expanded) { event.preventDefault(); close(); showChosen(); }
        else if (input.value) { event.preventDefault(); input.value = ""; clear(); }
      }
    });

    input.addEventListener("blur", function () {
      close();
      // Text that chose nothing would be posted as "no institution": show what is really chosen.
      if (!chosen()) { input.value = ""; note.textContent = ""; }
    });

    select.addEventListener("change", function () { if (document.activeElement !== input) { showChosen(); } });
    showChosen();
    return input;
  }

  root.Combobox = { enhance: enhance };
  document.querySelectorAll("select[data-combobox]").forEach(enhance);
})(window);
