// One way to write a page: the script of the page at /a/b/ is assets/js/pages/a/b/index.js, its
// parts sit beside it, and no page reaches into another page's folder (shared code lives in
// components/ or lib/). Stylesheets follow the same map under assets/css/pages/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const docs = fileURLToPath(new URL("../docs/", import.meta.url));
const js = path.join(docs, "assets/js");
const pagesDir = path.join(js, "pages");

function walk(dir, suffix) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "assets" && dir === docs ? [] : walk(full, suffix);
    return full.endsWith(suffix) ? [full] : [];
  });
}

const rel = (from, file) => path.relative(from, file).split(path.sep).join("/");

/** { url folder ("" for the home page, "espace/infos" …): [scripts named by its front matter] } */
function pageScripts() {
  const found = {};
  for (const md of walk(docs, ".md")) {
    const front = readFileSync(md, "utf-8").match(/^---\n([\s\S]*?)\n---/);
    const line = front?.[1].match(/^script:\s*(.+)$/m);
    if (!line) continue;
    const folder = rel(docs, path.dirname(md)) === "" ? "" : rel(docs, path.dirname(md));
    found[folder] = line[1].replace(/^\[|\]$/g, "").split(",").map((name) => name.trim());
  }
  return found;
}

const scriptOf = (folder) => (folder ? `pages/${folder}/index.js` : "pages/index.js");

test("a page's one script is where its URL says, or the one its chapters share", () => {
  const scripts = pageScripts();
  assert.ok(Object.keys(scripts).length > 40);
  for (const [folder, names] of Object.entries(scripts)) {
    assert.equal(names.length, 1, `/${folder}/ names ${names.length} scripts: one index.js imports its parts`);
    const own = scriptOf(folder);
    if (names[0] === own) continue;
    // The tutorial's chapters are one page shown at several URLs: they load the script of the
    // URL they sit under, and have none of their own.
    const ancestors = folder.split("/").map((_, i, parts) => parts.slice(0, i).join("/"));
    assert.ok(ancestors.map(scriptOf).includes(names[0]), `/${folder}/ loads ${names[0]}, expected ${own}`);
    assert.throws(() => statSync(path.join(js, own)), `${own} exists but /${folder}/ does not load it`);
  }
});

test("every index.js under pages/ is a page's script, at that page's URL", () => {
  const named = new Set(Object.values(pageScripts()).flat());
  for (const file of walk(pagesDir, ".js").filter((f) => path.basename(f) === "index.js")) {
    const script = rel(js, file);
    assert.ok(named.has(script), `${script}: no page at /${rel(pagesDir, path.dirname(file))}/ loads it`);
  }
});

const IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

test("a page module imports only its own parts, never another page", () => {
  for (const file of walk(js, ".js")) {
    for (const [, spec] of readFileSync(file, "utf-8").matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(pagesDir + path.sep)) continue;
      assert.ok(file.startsWith(pagesDir + path.sep), `${rel(js, file)} imports the page module ${rel(js, target)}`);
      assert.equal(path.dirname(target), path.dirname(file), `${rel(js, file)} imports ${rel(js, target)}, from another page`);
      assert.notEqual(path.basename(target), "index.js", `${rel(js, file)} imports its page's index.js`);
    }
  }
});

test("every part beside a page's index.js is used by that page", () => {
  for (const file of walk(pagesDir, ".js").filter((f) => path.basename(f) !== "index.js")) {
    const siblings = readdirSync(path.dirname(file)).filter((name) => name.endsWith(".js") && name !== path.basename(file));
    const used = siblings.some((name) =>
      [...readFileSync(path.join(path.dirname(file), name), "utf-8").matchAll(IMPORT)]
        .some(([, spec]) => path.resolve(path.dirname(file), spec) === file));
    assert.ok(used, `${rel(js, file)} is imported by no module of its page`);
  }
});

test("page stylesheets are named by the URL they style", () => {
  const css = path.join(docs, "assets/css/pages");
  const folders = new Set(walk(docs, ".md").map((md) => rel(docs, path.dirname(md))));
  for (const file of walk(css, ".css")) {
    const url = rel(css, file).replace(/\.css$/, "").replace(/^index$/, "");
    assert.ok(folders.has(url), `${rel(docs, file)} names /${url}/, which is no page`);
  }
});

test("only lib/http.js calls the API: the others fetch the site's own files or Cognito", () => {
  const apiCall = /fetch\((?!siteUrl\(|"\/config\.json"|config\.cognitoEndpoint)/;
  for (const file of walk(js, ".js")) {
    if (rel(js, file) === "lib/http.js") continue;
    assert.doesNotMatch(readFileSync(file, "utf-8"), apiCall, `${rel(js, file)} calls fetch itself`);
  }
});

test("a request's states are listed in lib/request-statuses.js only", () => {
  const listed = /["'](?:sent|in_progress|info_needed|processed|refused)["']\s*,\s*["'](?:in_progress|info_needed|processed|refused)["']|<option value="(?:in_progress|info_needed|processed|refused)"/;
  for (const file of [...walk(js, ".js"), ...walk(docs, ".md")]) {
    if (rel(js, file) === "lib/request-statuses.js") continue;
    assert.doesNotMatch(readFileSync(file, "utf-8"), listed, `${rel(docs, file)} lists request states`);
  }
});

test("one combobox: only components/combobox.js moves an active option", () => {
  for (const file of walk(js, ".js")) {
    if (rel(js, file) === "components/combobox.js") continue;
    assert.doesNotMatch(readFileSync(file, "utf-8"), /aria-activedescendant/, `${rel(js, file)} writes its own combobox`);
  }
});

test("one slot picker: only components/slot-picker.js names the days of slots", () => {
  for (const file of walk(js, ".js")) {
    if (rel(js, file) === "components/slot-picker.js") continue;
    assert.doesNotMatch(readFileSync(file, "utf-8"), /weekday:\s*"long"/, `${rel(js, file)} formats slot days itself`);
  }
});

test("one way to start a download: components/document-download.js", () => {
  for (const file of walk(js, ".js")) {
    if (rel(js, file) === "components/document-download.js") continue;
    assert.doesNotMatch(readFileSync(file, "utf-8"), /téléchargement commence/i, `${rel(js, file)} writes its own download`);
  }
});
