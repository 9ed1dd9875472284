// Territoires KB — small progressive enhancements: copy a citation, keep a brief in localStorage,
// print the brief. Everything works without JS except these conveniences.
"use strict";

(function () {
  const STORE_KEY = "territoires-kb:brief";

  function announce(message) {
    const status = document.querySelector("[data-status]");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function loadBrief() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}");
      return { ids: Array.isArray(saved.ids) ? saved.ids : [], q: typeof saved.q === "string" ? saved.q : "" };
    } catch (error) {
      return { ids: [], q: "" };
    }
  }

  function saveBrief(brief) {
    window.localStorage.setItem(STORE_KEY, JSON.stringify(brief));
  }

  function exportUrl(base, brief) {
    const params = new URLSearchParams({ ids: brief.ids.join(","), q: brief.q });
    return base + "?" + params.toString();
  }

  function renderBrief() {
    const brief = loadBrief();
    const panel = document.querySelector("[data-brief]");
    if (panel) {
      panel.hidden = false;
      panel.querySelector("[data-brief-count]").textContent = String(brief.ids.length);
      panel.querySelectorAll("[data-brief-link]").forEach(function (link) {
        const enabled = brief.ids.length > 0;
        link.href = enabled ? exportUrl(link.dataset.briefLink, brief) : "#dossier";
        link.setAttribute("aria-disabled", enabled ? "false" : "true");
      });
    }
    document.querySelectorAll("[data-select]").forEach(function (box) {
      box.checked = brief.ids.indexOf(box.dataset.select) !== -1;
      box.closest(".select").hidden = false;
    });
  }

  function currentQuestion() {
    const form = document.querySelector("form[data-question]");
    return form ? form.dataset.question : "";
  }

  function onSelect(event) {
    const box = event.target;
    const brief = loadBrief();
    const id = box.dataset.select;
    brief.ids = brief.ids.filter(function (other) { return other !== id; });
    if (box.checked) {
      brief.ids.push(id);
      if (!brief.q) { brief.q = currentQuestion(); }
    }
    if (brief.ids.length === 0) { brief.q = ""; }
    saveBrief(brief);
    renderBrief();
  }

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

  function setUpBrief() {
    document.querySelectorAll("[data-select]").forEach(function (box) {
      box.addEventListener("change", onSelect);
    });
    const clear = document.querySelector("[data-brief-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        saveBrief({ ids: [], q: "" });
        renderBrief();
      });
    }
    renderBrief();
  }

  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpBrief();
    setUpPrint();
  });
})();
