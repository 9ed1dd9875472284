// Territoires KB — small progressive enhancements: copy a citation, keep a brief in localStorage
// (ordered items, each with the question it was picked under and a note), re-run the search when
// a filter changes, move focus to the results. Everything works without JS except these.
"use strict";

(function () {
  const STORE_KEY = "territoires-kb:brief";
  const FOCUS_KEY = "territoires-kb:focus";

  function announce(message) {
    const status = document.querySelector("[data-status]");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  // Fill « {name} »-style placeholders of a catalogue message.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // ------------------------------------------------------------------ the brief

  function isItem(item) {
    return item && typeof item.id === "string" && typeof item.name === "string";
  }

  // Items in order: {id, name, permalink, q, note}. The first format ({ids, q}) is read too.
  function loadBrief() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}");
      if (Array.isArray(saved.items)) { return saved.items.filter(isItem); }
      if (Array.isArray(saved.ids)) {
        return saved.ids.map(function (id) {
          return { id: String(id), name: String(id), permalink: "/passages/" + id,
                   q: typeof saved.q === "string" ? saved.q : "", note: "" };
        });
      }
    } catch (error) {
      // An unreadable store is an empty brief.
    }
    return [];
  }

  function saveBrief(items) {
    window.localStorage.setItem(STORE_KEY, JSON.stringify({ items: items }));
  }

  // The brief URL of web/brief.py: ids in order, then one question and one note per id.
  function exportUrl(base, items) {
    const params = new URLSearchParams();
    params.append("ids", items.map(function (item) { return item.id; }).join(","));
    items.forEach(function (item) { params.append("question", item.q || ""); });
    items.forEach(function (item) { params.append("note", item.note || ""); });
    return base + "?" + params.toString();
  }

  function toolButton(text, label, action, disabled) {
    const button = element("button", "button button-tertiary brief-tool", text);
    button.type = "button";
    button.dataset.action = action;
    button.setAttribute("aria-label", label);
    button.disabled = disabled;
    return button;
  }

  function itemElement(messages, item, index, count) {
    const li = element("li", "brief-item");
    li.dataset.id = item.id;
    const title = element("p", "brief-item-name");
    const link = element("a", "", item.name);
    link.href = item.permalink;
    // Not the result card's name: the same excerpt's card may be on the page too.
    link.setAttribute("aria-label", fill(messages.tItem, { name: item.name, n: index + 1 }));
    title.appendChild(link);
    const asked = element("p", "brief-item-question", fill(messages.tAsked, { q: item.q || messages.tNoQuestion }));
    const noteId = "note-" + item.id;
    const label = element("label", "brief-note-label", fill(messages.tNote, { name: item.name }));
    label.htmlFor = noteId;
    const note = element("textarea", "brief-note");
    note.id = noteId;
    note.rows = 2;
    note.maxLength = Number(messages.noteMax);
    note.value = item.note || "";
    note.dataset.note = item.id;
    const tools = element("p", "brief-item-tools");
    tools.appendChild(toolButton("↑", fill(messages.tUp, { name: item.name }), "up", index === 0));
    tools.appendChild(toolButton("↓", fill(messages.tDown, { name: item.name }), "down", index === count - 1));
    tools.appendChild(toolButton(messages.tRemoveShort, fill(messages.tRemove, { name: item.name }), "remove", false));
    li.append(title, asked, label, note, tools);
    return li;
  }

  function renderPanel(panel, items) {
    panel.hidden = false;
    panel.querySelector("[data-brief-count]").textContent = String(items.length);
    panel.querySelector("[data-brief-empty]").hidden = items.length > 0;
    panel.querySelectorAll("[data-brief-link]").forEach(function (link) {
      const enabled = items.length > 0;
      link.href = enabled ? exportUrl(link.dataset.briefLink, items) : "#dossier";
      link.setAttribute("aria-disabled", enabled ? "false" : "true");
    });
    const list = panel.querySelector("[data-brief-items]");
    list.replaceChildren.apply(list, items.map(function (item, index) {
      return itemElement(panel.dataset, item, index, items.length);
    }));
  }

  function renderBrief() {
    const items = loadBrief();
    const panel = document.querySelector("[data-brief]");
    if (panel) { renderPanel(panel, items); }
    document.querySelectorAll("[data-select]").forEach(function (box) {
      const chosen = items.some(function (item) { return item.id === box.dataset.select; });
      box.checked = chosen;
      box.closest(".select").hidden = false;
      const toBrief = box.closest(".card-actions").querySelector("[data-to-brief]");
      if (toBrief) { toBrief.hidden = !chosen; }
    });
  }

  // The question the page's results answer (not what is being typed in the box).
  function currentQuestion() {
    const box = document.querySelector("form[role=search] input[name=q]");
    return box ? box.defaultValue.trim() : "";
  }

  function onSelect(event) {
    const box = event.target;
    const messages = document.querySelector("[data-brief]").dataset;
    const id = box.dataset.select;
    const items = loadBrief().filter(function (item) { return item.id !== id; });
    if (box.checked) {
      items.push({ id: id, name: box.dataset.name, permalink: box.dataset.permalink,
                   q: currentQuestion(), note: "" });
    }
    saveBrief(items);
    renderBrief();
    const message = box.checked ? messages.tAdded : messages.tRemoved;
    announce(fill(message, { name: box.dataset.name, n: items.length }));
  }

  function onPanelClick(event) {
    const button = event.target.closest("[data-action]");
    if (!button) { return; }
    const panel = event.currentTarget;
    const id = button.closest(".brief-item").dataset.id;
    const items = loadBrief();
    const index = items.findIndex(function (item) { return item.id === id; });
    if (index === -1) { return; }
    const item = items[index];
    const action = button.dataset.action;
    if (action === "remove") {
      items.splice(index, 1);
    } else {
      const target = action === "up" ? index - 1 : index + 1;
      items.splice(index, 1);
      items.splice(target, 0, item);
    }
    saveBrief(items);
    renderBrief();
    if (action === "remove") {
      panel.querySelector("#dossier-titre").focus();
      announce(fill(panel.dataset.tRemoved, { name: item.name, n: items.length }));
      return;
    }
    const moved = panel.querySelector('.brief-item[data-id="' + CSS.escape(id) + '"]');
    const same = moved.querySelector('[data-action="' + action + '"]');
    (same.disabled ? moved.querySelector('[data-action="' + (action === "up" ? "down" : "up") + '"]') : same).focus();
    announce(fill(panel.dataset.tMoved, { name: item.name, n: items.indexOf(item) + 1 }));
  }

  function onNoteInput(event) {
    const id = event.target.dataset.note;
    if (!id) { return; }
    const items = loadBrief();
    items.forEach(function (item) { if (item.id === id) { item.note = event.target.value; } });
    saveBrief(items);
    const panel = document.querySelector("[data-brief]");
    panel.querySelectorAll("[data-brief-link]").forEach(function (link) {
      link.href = exportUrl(link.dataset.briefLink, items);
    });
  }

  function setUpBrief() {
    document.querySelectorAll("[data-select]").forEach(function (box) {
      box.addEventListener("change", onSelect);
    });
    const panel = document.querySelector("[data-brief]");
    if (panel) {
      panel.addEventListener("click", onPanelClick);
      panel.addEventListener("input", onNoteInput);
      panel.querySelector("[data-brief-clear]").addEventListener("click", function () {
        saveBrief([]);
        renderBrief();
      });
    }
    renderBrief();
  }

  // ------------------------------------------------------------------ citations, print

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-http hosts other than localhost: a temporary selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }

  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        const source = document.getElementById(button.dataset.copy);
        copyText(source.textContent.trim()).then(function () {
          announce(button.dataset.copied);
          button.classList.add("copied");
        });
      });
    });
  }

  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // ------------------------------------------------------------------ the search form

  function remember(value) {
    try { window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify(value)); } catch (error) { /* no session storage: focus stays put */ }
  }

  function recall() {
    try {
      const value = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null");
      window.sessionStorage.removeItem(FOCUS_KEY);
      return value;
    } catch (error) {
      return null;
    }
  }

  // Submitting moves focus to the results; a changed filter re-runs the search and keeps focus on it.
  function setUpSearchForm() {
    const form = document.querySelector("[data-search-form]");
    if (!form) { return; }
    const filters = form.querySelector("[data-filters]");
    const question = form.querySelector("input[name=q]");
    let changed = null;
    form.querySelector("[data-rerun-hint]").hidden = false;
    form.addEventListener("submit", function () {
      remember(changed || { to: "results" });
    });
    filters.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("change", function () {
        if (!question.value.trim()) { return; }
        changed = { to: "filter", name: input.name, value: input.value };
        form.requestSubmit();
      });
    });
    const wanted = recall();
    if (!wanted) { return; }
    if (wanted.to === "results") {
      const heading = document.getElementById("resultats");
      if (heading) { heading.focus(); }
    } else if (wanted.to === "filter") {
      filters.open = true;
      const input = Array.prototype.find.call(filters.querySelectorAll("input"), function (candidate) {
        return candidate.name === wanted.name && candidate.value === wanted.value;
      });
      if (input) { input.focus(); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpBrief();
    setUpPrint();
    setUpSearchForm();
  });
})();
