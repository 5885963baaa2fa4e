// The camera beside a file picker, on a phone: « Photographier un document » takes the pages of
// one paper document, one photo each (the <input capture="environment"> opens the back camera).
// Each page shows as a thumbnail to keep, take again, turn or remove; « Terminer et joindre »
// reduces them and assembles one PDF (lib/scan-pdf.js and pdf-lib, loaded then and only then),
// which the upload field sends like any chosen file: its limits, its upload, its check.
//
// Which devices are phones: lib/phone.js (a finger for a pointer, a phone-sized screen). A
// computer, a tablet or a laptop with a touch screen keeps the file picker alone. upload-field.js
// loads this module after the page, and only on a touch screen: a page's first load stays
// within its weight budget (tests/unit/test_site_weight.py).

// It imports no module of the pages (dom.js, formats.js...): esbuild groups modules into
// chunks by the entries that use them, and one more user (this lazily loaded entry) would
// split the chunks every page loads into more files, heavier together.
import STYLE from "../../css/components/camera-scan.css" with { type: "text" };
import { decodeImage, drawTurned, NotAnImage } from "../lib/images.js";
import { isPhone } from "../lib/phone.js";

export const MAX_PAGES = 10;
const THUMBNAIL = 320; // pixels of the longest side (shown 6rem high: sharp on a 2x screen)

const TURNS = { 90: "tournée d'un quart de tour vers la droite", 180: "tournée d'un demi-tour", 270: "tournée d'un quart de tour vers la gauche" };

let fields = 0;

let styled = false;

/** French typography (as dom.js does): a non-breaking space before « : ; ! ? » and after « ». */
function french(text) {
  return String(text).replace(/ +([:;!?»])/g, "\u00a0$1").replace(/« +/g, "«\u00a0");
}

/** h("p", {class: "x", onclick: fn, hidden: true}, "text", child): text set as text, never markup. */
function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === false || value == null) continue;
    if (key === "text") element.textContent = french(value);
    else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) element.append(typeof child === "string" ? french(child) : child);
  return element;
}

function plural(count, one, many) {
  return `${count} ${count > 1 ? many : one}`;
}

/** 1536000 -> "1,5 Mo" (as formats.js writes sizes). */
function fileSize(bytes) {
  const [value, unit] = bytes >= 1048576 ? [bytes / 1048576, "Mo"] : [bytes / 1024, "Ko"];
  return `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(value)}\u00a0${unit}`;
}

/**
 * Puts the camera after `input`, an upload field's file picker. `add(async (limits) => files)`
 * hands files to the field as if chosen (the function gets its upload limits, or null) and
 * resolves the refusals, the field staying busy until then; `announce(text)` speaks in its
 * live region.
 */
export default function setupCameraScan(input, add, announce) {
  if (!isPhone()) return null;
  let limits = null; // once known (without them, the server alone judges)
  add((known) => {
    limits = known;
    return [];
  });
  // The field's files are its list's items, beside its input.
  const room = () => (limits ? limits.max_files - input.parentElement.querySelectorAll(".ea-file").length : 1);
  if (!styled) {
    // Styles come with the module (style-src allows a <style>): only phones pay for them.
    const style = document.createElement("style");
    style.textContent = STYLE;
    document.head.append(style);
    styled = true;
  }
  const base = `${input.id || "upload"}-scan-${++fields}`;
  let pages = []; // {id, file, bitmap, rotation, kept, thumbnail}
  let counter = 0;
  let documents = 0;
  let retaking = null;
  let working = false;

  const camera = h("input", {
    type: "file", accept: "image/*", capture: "environment", hidden: true, id: `${base}-camera`,
    "aria-label": "Photo de la page", "data-testid": "scan-camera",
  });
  const start = h("button", {
    type: "button", class: "ea-button ea-button--secondary ea-scan__start", id: `${base}-start`,
    "data-tour": "scan-start", "aria-describedby": `${base}-hint`, onclick: () => shoot(null),
  }, "Photographier un document");
  const hint = h("p", { class: "ea-hint", id: `${base}-hint`,
    text: `Chaque page en photo, jusqu'à ${MAX_PAGES} pages, réunies en un seul fichier PDF.` });
  const message = h("p", { class: "ea-scan__message", id: `${base}-message`, "data-testid": "scan-message", hidden: true });
  const count = h("span", { class: "ea-scan__count", "data-testid": "scan-count" });
  const title = h("p", { class: "ea-scan__title", id: `${base}-title` }, "Document photographié", count);
  const list = h("ol", { class: "ea-scan__pages", "aria-labelledby": `${base}-title` });
  const next = h("button", { type: "button", class: "ea-button ea-button--secondary", "data-tour": "scan-next", onclick: () => shoot(null) },
    "Photographier la page suivante");
  const finish = h("button", { type: "button", class: "ea-button ea-button--primary", "data-tour": "scan-finish", onclick: done },
    "Terminer et joindre");
  const cancel = h("button", { type: "button", class: "ea-link-button", onclick: abandon }, "Annuler ces photos");
  const panel = h("div", { class: "ea-scan__panel", role: "group", "aria-labelledby": `${base}-title`, "data-testid": "scan-panel", hidden: true },
    title,
    list,
    h("div", { class: "ea-scan__actions" }, next, finish, cancel));
  const element = h("div", { class: "ea-scan", "data-tour": "scan", "data-testid": "scan" }, start, hint, camera, message, panel);
  input.after(element);

  function say(text, { error = false } = {}) {
    message.hidden = !error;
    message.textContent = error ? french(text) : "";
    announce(french(text));
  }

  async function shoot(page) {
    if (working) return;
    if (!page && pages.length >= MAX_PAGES) {
      say(`${MAX_PAGES} pages au plus par document. Terminez celui-ci : la suite ira dans un second document.`, { error: true });
      return;
    }
    if (!page && !pages.length && room() <= 0) {
      say("Ce formulaire a déjà tous les fichiers qu'il accepte. Retirez un fichier pour joindre un document photographié.", { error: true });
      return;
    }
    retaking = page;
    camera.click();
  }

  camera.addEventListener("change", () => {
    const files = [...camera.files];
    camera.value = "";
    took(files, retaking);
    retaking = null;
  });

  async function took(files, replacing) {
    for (const file of files) {
      const target = replacing && pages.includes(replacing) ? replacing : null;
      replacing = null;
      if (!target && pages.length >= MAX_PAGES) {
        say(`${MAX_PAGES} pages au plus par document : cette photo n'a pas été ajoutée. Terminez ce document, puis photographiez la suite dans un second.`, { error: true });
        break;
      }
      let bitmap;
      try {
        bitmap = await decodeImage(file);
      } catch (error) {
        if (!(error instanceof NotAnImage)) throw error;
        const which = target ? `la page ${number(target)} reste telle qu'elle était` : "aucune page n'a été ajoutée";
        say(`« ${file.name} » n'est pas une photo lisible : ${which}. Reprenez la photo avec l'appareil photo.`, { error: true });
        render(focusOf(target, "retake") ?? (pages.length ? next : start));
        continue;
      }
      const page = target ?? { id: ++counter, rotation: 0 };
      page.bitmap?.close?.();
      Object.assign(page, { file, bitmap, kept: false, rotation: 0 });
      page.thumbnail = drawTurned(bitmap, 0, THUMBNAIL).toDataURL("image/jpeg", 0.7);
      if (!target) pages.push(page);
      render(`keep-${page.id}`);
      say(`Page ${number(page)} ${target ? "reprise" : "ajoutée"}. Vérifiez qu'elle est nette et entière, puis gardez-la ou reprenez-la.`);
    }
  }

  function number(page) {
    return pages.indexOf(page) + 1;
  }

  function focusOf(page, action) {
    return page && pages.includes(page) ? `${action}-${page.id}` : null;
  }

  function keep(page) {
    page.kept = true;
    render(pages.length >= MAX_PAGES ? finish : next);
    say(`Page ${number(page)} gardée.`);
  }

  function turn(page) {
    page.rotation = (page.rotation + 90) % 360;
    page.thumbnail = drawTurned(page.bitmap, page.rotation, THUMBNAIL).toDataURL("image/jpeg", 0.7);
    render(`turn-${page.id}`);
    say(`Page ${number(page)} ${TURNS[page.rotation] ?? "remise droite"}.`);
  }

  function remove(page) {
    const index = pages.indexOf(page);
    pages = pages.filter((item) => item !== page);
    page.bitmap?.close?.();
    const after = pages[Math.min(index, pages.length - 1)];
    render(after ? `turn-${after.id}` : start);
    say(pages.length
      ? `Page ${index + 1} retirée. Le document compte ${plural(pages.length, "page", "pages")}.`
      : "Page retirée. Il n'y a plus de page : rien n'a été joint.");
  }

  function clear() {
    for (const page of pages) page.bitmap?.close?.();
    pages = [];
  }

  function abandon() {
    clear();
    render(start);
    say("Photos abandonnées : rien n'a été joint.");
  }

  function pageItem(page, index) {
    const label = `Page ${index + 1}`;
    const hidden = (text) => h("span", { class: "ea-visually-hidden", text });
    const button = (action, text, onclick, extra = {}) =>
      h("button", { type: "button", class: "ea-link-button", "data-action": `${action}-${page.id}`, onclick, ...extra }, text, hidden(` (page ${index + 1})`));
    const turned = TURNS[page.rotation];
    return h(
      "li",
      { class: `ea-scan__page${page.kept ? " ea-scan__page--kept" : ""}`, "data-testid": "scan-page" },
      h("img", { src: page.thumbnail, alt: `${label}${turned ? `, ${turned}` : ""}`, class: "ea-scan__thumbnail" }),
      h("p", { class: "ea-scan__label" }, h("strong", { text: label }), h("span", { text: page.kept ? "Gardée" : "À vérifier" })),
      page.kept ? null : h("button", { type: "button", class: "ea-button ea-button--primary ea-scan__keep", "data-action": `keep-${page.id}`, onclick: () => keep(page) },
        "Garder cette page", hidden(` (page ${index + 1})`)),
      h(
        "span",
        { class: "ea-scan__page-actions" },
        button("retake", "Reprendre", () => shoot(page)),
        button("turn", "Tourner", () => turn(page)),
        button("remove", "Retirer", () => remove(page)),
      ),
    );
  }

  /** Redraws the panel; `focus` is an element or a button's data-action to move the focus to. */
  function render(focus) {
    list.replaceChildren(...pages.map(pageItem));
    panel.hidden = !pages.length;
    start.hidden = Boolean(pages.length);
    hint.hidden = Boolean(pages.length);
    count.textContent = pages.length ? french(` : ${plural(pages.length, "page", "pages")}`) : "";
    next.disabled = working || pages.length >= MAX_PAGES;
    // Not `disabled`: the focus stays on the button while the PDF is made.
    finish.setAttribute("aria-disabled", String(working));
    cancel.disabled = working;
    if (typeof focus === "string") list.querySelector(`[data-action="${focus}"]`)?.focus();
    else focus?.focus();
  }

  async function done() {
    if (working || !pages.length) return;
    if (limits && !limits.content_types.includes("application/pdf")) {
      say("Ce formulaire n'accepte pas les fichiers PDF : joignez plutôt chaque photo avec le bouton de choix de fichiers.", { error: true });
      return;
    }
    if (room() <= 0) {
      say("Ce formulaire a déjà tous les fichiers qu'il accepte : retirez un fichier joint, puis touchez de nouveau « Terminer et joindre ».", { error: true });
      return;
    }
    working = true;
    render(finish);
    const total = plural(pages.length, "page", "pages");
    say(`Préparation du document de ${total}…`);
    let failure = "";
    let file = null;
    // Handed to the field as a promise: the form waits for it before it is sent.
    const made = async (known) => {
      limits = known ?? limits;
      let result;
      try {
        const { scanPdf } = await import("../lib/scan-pdf.js");
        result = await scanPdf(pages.map(({ bitmap, rotation }) => ({ bitmap, rotation })), {
          maxBytes: limits?.max_bytes ?? Infinity,
          title: `Document photographié (${total})`,
        });
      } catch {
        failure = "Le document n'a pas pu être préparé sur ce téléphone. Touchez de nouveau « Terminer et joindre » ; si cela recommence, joignez les photos avec le bouton de choix de fichiers.";
        return [];
      }
      if (!result.bytes) {
        failure = `Même réduit au plus, ce document de ${total} pèserait ${fileSize(result.smallest)} : la limite est de ${fileSize(limits.max_bytes)} par fichier. Retirez des pages et envoyez-les dans un second document. Rien n'a été envoyé.`;
        return [];
      }
      documents += 1;
      file = new File([result.bytes], `document-photographie-${documents}.pdf`, { type: "application/pdf" });
      return [file];
    };
    const refused = await add(made);
    working = false;
    if (failure || refused.length) {
      render(finish);
      say(failure || `${refused.join(" ")} Rien n'a été envoyé.`, { error: true });
      return;
    }
    clear();
    render(start);
    say(`Document de ${total} joint (${fileSize(file.size)}) : envoi en cours.`);
  }

  return element;
}
