// Territoires KB — the in-app PDF reader (/lire/<report>): pdf.js draws a page and its text
// layer; the cited passage is found in the text of its page(s) and highlighted, across a page
// break when it runs over two. Without JavaScript the page keeps the plain PDF link.
import * as pdfjs from "/static/pdfjs/pdf.min.mjs";

const MAX_SCALE = 1.6;
// Passage characters compared at once when looking for its start, then when catching up after
// text the page has and the passage lacks (running headers, footnote calls, page numbers).
const ANCHOR_LENGTHS = [48, 24, 12];
const RESYNC_LENGTH = 8;
const RESYNC_WINDOW = 2000;

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
}

// One comparable character per letter or digit: accents, case, ligatures, spaces and
// punctuation folded away, so a hyphenated line end matches the joined word.
function foldChar(ch) {
  return ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

function foldText(text) {
  return Array.from(text).map(foldChar).join("");
}

// The page(s) text as comparable characters, each remembering its page, item and offset.
function indexItems(pages) {
  const chars = [];
  const origin = [];
  pages.forEach(function (page) {
    page.items.forEach(function (str, item) {
      let offset = 0;
      Array.from(str).forEach(function (ch) {
        for (const folded of foldChar(ch)) {
          chars.push(folded);
          origin.push({ page: page.number, item: item, start: offset, end: offset + ch.length });
        }
        offset += ch.length;
      });
    });
  });
  return { text: chars.join(""), origin: origin };
}

// Positions (in `haystack`) of the passage's characters, from its start; [] when not found.
function align(passage, haystack) {
  let start = -1;
  for (const length of ANCHOR_LENGTHS) {
    start = haystack.indexOf(passage.slice(0, length));
    if (start >= 0) { break; }
  }
  if (start < 0 || passage.length === 0) { return []; }
  const matched = [];
  let i = 0;
  let j = start;
  while (i < passage.length && j < haystack.length) {
    if (passage[i] === haystack[j]) {
      matched.push(j);
      i += 1;
      j += 1;
      continue;
    }
    const next = haystack.indexOf(passage.slice(i, i + RESYNC_LENGTH), j);
    if (next >= 0 && next - j <= RESYNC_WINDOW) {
      j = next;
    } else {
      i += 1;  // a passage character the page does not have
    }
  }
  return matched;
}

// page number → item index → [start, end) of the highlighted characters of that item.
function highlightRanges(passageText, pages) {
  const index = indexItems(pages);
  const ranges = new Map();
  align(foldText(passageText), index.text).forEach(function (position) {
    const at = index.origin[position];
    if (!ranges.has(at.page)) { ranges.set(at.page, new Map()); }
    const items = ranges.get(at.page);
    const range = items.get(at.item);
    if (range) {
      range[0] = Math.min(range[0], at.start);
      range[1] = Math.max(range[1], at.end);
    } else {
      items.set(at.item, [at.start, at.end]);
    }
  });
  return ranges;
}

function markItem(div, str, range) {
  const mark = document.createElement("span");
  mark.className = "highlight appended";
  mark.textContent = str.slice(range[0], range[1]);
  div.replaceChildren(str.slice(0, range[0]), mark, str.slice(range[1]));
}

function textItems(content) {
  return content.items.filter(function (item) { return item.str !== undefined; });
}

async function start(root) {
  const pagesBox = root.querySelector("[data-viewer-pages]");
  const status = root.querySelector("[data-viewer-status]");
  const pageInput = root.querySelector("#page");
  const prev = root.querySelector("[data-prev]");
  const next = root.querySelector("[data-next]");
  const labels = JSON.parse(root.dataset.labels || "{}");
  const passageBox = document.querySelector("[data-passage-text]");
  const first = Number(root.dataset.first || 0);
  const last = Number(root.dataset.last || first);

  pdfjs.GlobalWorkerOptions.workerSrc = root.dataset.worker;
  const doc = await pdfjs.getDocument({ url: root.dataset.pdf, isEvalSupported: false }).promise;
  const total = doc.numPages;
  const contents = new Map();

  async function contentOf(number) {
    if (!contents.has(number)) {
      const page = await doc.getPage(number);
      contents.set(number, { page: page, text: await page.getTextContent() });
    }
    return contents.get(number);
  }

  // Where the passage sits, computed once over all its pages (so a page break is crossed).
  let ranges = new Map();
  if (passageBox && first) {
    const pages = [];
    for (let n = first; n <= Math.min(last, total); n += 1) {
      const content = await contentOf(n);
      pages.push({ number: n, items: textItems(content.text).map(function (item) { return item.str; }) });
    }
    ranges = highlightRanges(passageBox.textContent, pages);
  }

  async function drawPage(number) {
    const content = await contentOf(number);
    const base = content.page.getViewport({ scale: 1 });
    const scale = Math.min(MAX_SCALE, Math.max(0.3, (pagesBox.clientWidth - 2) / base.width));
    const viewport = content.page.getViewport({ scale: scale });
    const ratio = window.devicePixelRatio || 1;
    const box = document.createElement("div");
    box.className = "pdf-page";
    box.dataset.pageNumber = String(number);
    box.style.setProperty("--total-scale-factor", String(scale));
    box.style.setProperty("--scale-round-x", "1px");
    box.style.setProperty("--scale-round-y", "1px");
    box.style.width = Math.floor(viewport.width) + "px";
    box.style.height = Math.floor(viewport.height) + "px";
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = Math.floor(viewport.width) + "px";
    canvas.style.height = Math.floor(viewport.height) + "px";
    canvas.setAttribute("aria-hidden", "true");
    const layer = document.createElement("div");
    layer.className = "textLayer";
    box.append(canvas, layer);
    pagesBox.append(box);
    await content.page.render({
      canvasContext: canvas.getContext("2d"),
      viewport: viewport,
      transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
    }).promise;
    const textLayer = new pdfjs.TextLayer({ textContentSource: content.text, container: layer, viewport: viewport });
    await textLayer.render();
    const items = ranges.get(number);
    if (items) {
      items.forEach(function (range, item) {
        markItem(textLayer.textDivs[item], textLayer.textContentItemsStr[item], range);
      });
    }
  }

  function describe(number) {
    const printed = labels[String(number)];
    const template = printed ? root.dataset.msgStatus : root.dataset.msgStatusUnlabelled;
    let message = fill(template, { printed: printed, pdf: number, total: total });
    if (ranges.size) {
      const shown = number >= first && number <= last;
      message += shown ? " " + root.dataset.msgFound : "";
    } else if (first) {
      message += " " + root.dataset.msgNotFound;
    }
    return message;
  }

  async function show(number, moveFocus) {
    const page = Math.min(Math.max(1, number), total);
    // The passage's pages are shown together, so that the highlight runs across the break.
    const shown = first && page >= first && page <= last
      ? Array.from({ length: last - first + 1 }, function (_, k) { return first + k; })
      : [page];
    root.setAttribute("aria-busy", "true");
    pagesBox.replaceChildren();
    for (const n of shown) {
      await drawPage(n);
    }
    root.dataset.shown = shown.join(",");
    root.dataset.current = String(page);
    pageInput.value = String(page);
    prev.disabled = shown[0] <= 1;
    next.disabled = shown[shown.length - 1] >= total;
    status.textContent = describe(page);
    const url = new URL(window.location.href);
    url.searchParams.set("page", String(page));
    window.history.replaceState(null, "", url);
    const mark = pagesBox.querySelector(".highlight");
    if (mark) {
      // Scroll the pages box only, not the whole page, to the passage start.
      const offset = mark.getBoundingClientRect().top - pagesBox.getBoundingClientRect().top;
      pagesBox.scrollTop += offset - pagesBox.clientHeight / 4;
    }
    if (moveFocus) { pagesBox.focus(); }
    root.removeAttribute("aria-busy");
    root.dataset.ready = "true";
  }

  function step(direction, moveFocus) {
    const shown = (root.dataset.shown || "1").split(",").map(Number);
    const target = direction < 0 ? shown[0] - 1 : shown[shown.length - 1] + 1;
    if (target >= 1 && target <= total) { show(target, moveFocus); }
  }

  prev.hidden = false;
  next.hidden = false;
  pagesBox.hidden = false;
  root.querySelector("[data-viewer-keys]").hidden = false;
  pageInput.max = String(total);
  prev.addEventListener("click", function () { step(-1, false); });
  next.addEventListener("click", function () { step(1, false); });
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    show(Number(pageInput.value) || 1, true);
  });
  pagesBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft" || event.key === "PageUp") {
      event.preventDefault();
      step(-1, true);
    } else if (event.key === "ArrowRight" || event.key === "PageDown") {
      event.preventDefault();
      step(1, true);
    }
  });
  await show(Number(root.dataset.page) || 1, false);
}

const root = document.querySelector("[data-viewer]");
if (root) {
  start(root).catch(function (error) {
    root.querySelector("[data-viewer-status]").textContent = root.dataset.msgFailed;
    root.dataset.ready = "failed";
    console.error(error);
  });
}
