"""Bundle hook: content-hashed scripts and stylesheets, built by esbuild after the build.

Every page's own scripts and stylesheets (everything local except the theme's
`assets/javascripts/` and `assets/stylesheets/`, which Material names by hash already) are
replaced by files whose names carry a hash of their content, so they can be cached for a year
(`Cache-Control: immutable`, see infra/deploy_site.py):

- ES modules (`<script type="module" src>`): one esbuild build of every page's entries
  (ESM output, minified, code splitting): the code several entries share goes into chunks
  under `assets/js/chunks/`, loaded once, so a module keeps one instance per page as before.
  A missing module or a missing export fails the build, naming the file and the line. Each
  page then lists the chunks its entries import as `<link rel="modulepreload">`, so the
  browser fetches them at once rather than one level of imports after another.
- Classic scripts (`<script src>`, Material's helpers moved out of inline scripts): minified
  as they are (no wrapper: they run as classic scripts).
- Stylesheets (`<link rel="stylesheet">`): `assets/css/app.css` lists its parts with
  `@import "part.css";` in cascade order; esbuild inlines them in that order, so a page makes
  one request for its styles. The fonts' stylesheet (written by hooks/assets.py) is bundled
  the same way, and the woff2 files it names get hashed names too.

Names follow `[name]-[hash]` in the folder of the source
(`assets/js/pages/connexion/index-XXXXXXXX.js`).
The sources themselves are not shipped: the build holds only what the pages load. esbuild is
the npm package pinned in package.json (`npm ci` at the repository root).

Last, the service worker (`sw.js` at the site's root) gets the list of what it keeps for use
without network: the pages marked `<meta name="ea-offline">` (front matter `offline:`) and
every file they load under its final name (scripts, chunks, stylesheets and the fonts and
images they name, icons, manifest), with a version that changes when any of them does.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import PluginError

THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")  # Material hashes its own
ESBUILD = Path("node_modules") / ".bin" / "esbuild"
COMMON = ["--log-level=error", "--legal-comments=none", "--charset=utf8",
          "--entry-names=[dir]/[name]-[hash]", "--asset-names=[dir]/[name]-[hash]"]

SOURCES = (".js", ".mjs", ".css", ".woff2", ".woff")  # removed from the build once bundled
TAG = re.compile(r"<(script|link)\b([^>]*)>", re.I)
ATTR = re.compile(r'([\w:-]+)(?:\s*=\s*"([^"]*)")?')

SERVICE_WORKER = "sw.js"
OFFLINE_MARK = re.compile(r'<meta name="ea-offline"')
LOADS = re.compile(r"<(script|link|img)\b([^>]*)>", re.I)
LOADED_LINKS = {"stylesheet", "modulepreload", "icon", "manifest", "apple-touch-icon"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass
class Reference:
    """One tag of a page naming one of our files."""
    kind: str        # "module", "script" or "style"
    url: str         # as written in the page
    path: str        # the file, relative to the site's root
    start: int       # where the URL is in the page
    end: int


@dataclass
class Page:
    file: Path
    url_path: str    # the page's folder, relative to the site's root
    text: str
    refs: list[Reference] = field(default_factory=list)


def _repo_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent.parent


def _ours(url: str) -> bool:
    return not (url.startswith(("http:", "https:", "//", "data:")) or url.startswith("#"))


def _scan(site_dir: Path) -> list[Page]:
    pages = []
    for file in sorted(site_dir.rglob("*.html")):
        folder = file.parent.relative_to(site_dir).as_posix()
        page = Page(file, "" if folder == "." else folder, file.read_text("utf-8"))
        for tag in TAG.finditer(page.text):
            found = {m.group(1).lower(): m for m in ATTR.finditer(tag.group(2))}
            attrs = {name: m.group(2) for name, m in found.items()}
            name = tag.group(1).lower()
            if name == "script" and attrs.get("src"):
                kind, key = ("module" if attrs.get("type") == "module" else "script"), "src"
            elif name == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href"):
                kind, key = "style", "href"
            else:
                continue
            url = attrs[key]
            if not _ours(url):
                continue
            path = url.split("?", 1)[0].split("#", 1)[0]
            path = posixpath.normpath(posixpath.join("/" + page.url_path, path)).lstrip("/")
            if path.startswith(THEME_ASSETS):
                continue
            at = tag.start(2) + found[key].start(2)
            page.refs.append(Reference(kind, url, path, at, at + len(url)))
        pages.append(page)
    return pages


def _esbuild(root: Path, site_dir: Path, entries: list[str], options: list[str],
             check: bool = False) -> dict:
    """Build `entries` (paths relative to site_dir) into site_dir; returns esbuild's metafile."""
    command = root / ESBUILD
    if not command.is_file():
        raise PluginError(f"{ESBUILD} is missing: run `npm ci` at the repository root")
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "meta.json"
        runs = [["--minify", *options, f"--outdir={site_dir}", f"--metafile={meta}"]]
        if check:
            # Minifying drops unused imports before esbuild looks for their exports: a first,
            # unminified build (thrown away) makes a missing export fail whether used or not.
            runs.insert(0, [*options, f"--outdir={Path(tmp) / 'check'}"])
        for args in runs:
            # Run from the site's root: messages name files as they are under site/docs.
            done = subprocess.run(  # noqa: S603 - the pinned esbuild, on the site's own files
                [str(command), *entries, *COMMON, *args, f"--outbase={site_dir}"],
                cwd=site_dir, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise PluginError("esbuild failed (paths under site/docs):\n"
                                  + (done.stderr or done.stdout).strip())
        return json.loads(meta.read_text("utf-8"))


def _outputs(meta: dict, site_dir: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(each entry's output file, each output's static imports), relative to site_dir."""
    def rel(path: str) -> str:
        return (site_dir / path).resolve().relative_to(site_dir.resolve()).as_posix()

    entry_out, imports = {}, {}
    for out, info in meta["outputs"].items():
        if out.endswith(".map"):
            continue
        entry = info.get("entryPoint")
        # A package imported with import() is an entry of its own for esbuild (its chunk is
        # loaded on demand): no page names it, so only the site's own entries are mapped.
        if entry and (site_dir / entry).resolve().is_relative_to(site_dir.resolve()):
            entry_out[rel(entry)] = rel(out)
        # esbuild leaves an import() it cannot resolve as it is, with a warning only: a package
        # missing from node_modules would fail in the browser, not here.
        unresolved = [i["path"] for i in info.get("imports", []) if i.get("external")
                      and i.get("kind") in ("import-statement", "dynamic-import")
                      and not i["path"].startswith(("/", ".", "data:", "http:", "https:"))]
        if unresolved:
            raise PluginError(f"{out}: cannot resolve {', '.join(unresolved)} (npm ci?)")
        imports[rel(out)] = [rel(i["path"]) for i in info.get("imports", [])
                             if i.get("kind") == "import-statement" and not i.get("external")]
    return entry_out, imports


def _url(ref: Reference, target: str) -> str:
    """The URL of `target` written as the page wrote the URL of `ref.path`."""
    prefix = ref.url.split("?", 1)[0].split("#", 1)[0]
    if not prefix.endswith(ref.path):
        raise PluginError(f"cannot rewrite {ref.url}")
    return prefix[: len(prefix) - len(ref.path)] + target


def on_post_build(config, **kwargs):
    site_dir = Path(config.site_dir).resolve()
    root = _repo_root(config)
    pages = _scan(site_dir)
    wanted: dict[str, list[str]] = {"module": [], "script": [], "style": []}
    for page in pages:
        for ref in page.refs:
            if not (site_dir / ref.path).is_file():
                raise PluginError(f"{page.file.relative_to(site_dir)}: {ref.path} does not exist")
            if ref.path not in wanted[ref.kind]:
                wanted[ref.kind].append(ref.path)

    built: dict[str, str] = {}
    imports: dict[str, list[str]] = {}
    inputs: set[str] = set()
    for kind, options in (
        ("module", ["--bundle", "--format=esm", "--splitting",
                    "--chunk-names=assets/js/chunks/[name]-[hash]"]),
        ("script", []),
        ("style", ["--bundle", "--loader:.woff2=file", "--loader:.woff=file",
                   "--loader:.svg=file", "--loader:.png=file"]),
    ):
        if not wanted[kind]:
            continue
        meta = _esbuild(root, site_dir, wanted[kind], options, check=kind == "module")
        out, deps = _outputs(meta, site_dir)
        built.update(out)
        imports.update(deps)
        inputs.update(meta["inputs"])

    for page in pages:
        if not page.refs:
            continue
        text, last, preload = [], 0, []
        entries = [ref for ref in page.refs if ref.kind == "module"]
        for ref in page.refs:
            text += [page.text[last:ref.start], _url(ref, built[ref.path])]
            last = ref.end
        text.append(page.text[last:])
        html = "".join(text)
        todo = [built[ref.path] for ref in entries]
        entry_files = set(todo)
        while todo:
            for chunk in imports.get(todo.pop(), []):
                if chunk not in preload and chunk not in entry_files:
                    preload.append(chunk)
                    todo.append(chunk)
        if preload:
            links = "".join(f'<link rel="modulepreload" href="{_url(entries[0], chunk)}">'
                            for chunk in preload)
            html = html.replace("</head>", f"{links}</head>", 1)
        page.file.write_text(html, "utf-8")

    # The sources are not shipped: only the hashed files the pages name. (Images a stylesheet
    # names stay under their own name too, since pages and the manifest may name them.)
    produced = set(imports) | set(built.values())
    for source in inputs:
        path = (site_dir / source).resolve()
        if path.suffix in SOURCES and path.is_relative_to(site_dir) and path.is_file() \
                and path.relative_to(site_dir).as_posix() not in produced:
            path.unlink()
    for folder in sorted((p for p in site_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()

    _offline_list(site_dir, _search_languages(config))


def _local(base: str, url: str) -> str | None:
    """The site-relative path of a local URL written in a file of folder `base`."""
    if not url or not _ours(url):
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    return posixpath.normpath(posixpath.join("/" + base, path)).lstrip("/")


def _search_languages(config) -> list[str]:
    search = next((plugin for name, plugin in config.plugins.items()
                   if name.split("/")[-1] == "search"), None)
    lang = search.config.get("lang") if search else None
    return [lang] if isinstance(lang, str) else list(lang or ["en"])


SEARCH_WORKER = re.compile(r'"search":\s*"([^"]+)"')


def _offline_list(site_dir: Path, languages: list[str]) -> None:
    """Writes into the service worker the offline pages, their files and a version. The theme's
    search worker starts on every page and loads its language files with `importScripts`,
    which no tag names: they are kept too, or an offline page fails in its worker."""
    worker = site_dir / SERVICE_WORKER
    if not worker.is_file():
        return
    pages, files = [], []
    for file in sorted(site_dir.rglob("index.html")):
        html = file.read_text("utf-8")
        if not OFFLINE_MARK.search(html):
            continue
        folder = file.parent.relative_to(site_dir).as_posix()
        folder = "" if folder == "." else folder
        pages.append(f"{folder}/" if folder else "")
        for tag in LOADS.finditer(html):
            attrs = {m.group(1).lower(): m.group(2) for m in ATTR.finditer(tag.group(2))}
            name = tag.group(1).lower()
            if name == "link" and not LOADED_LINKS & set((attrs.get("rel") or "").split()):
                continue
            path = _local(folder, attrs.get("href" if name == "link" else "src") or "")
            if path and path not in files:
                files.append(path)
        search = SEARCH_WORKER.search(html)
        path = _local(folder, search.group(1)) if search else None
        if path and path not in files:
            lunr = posixpath.join(posixpath.dirname(posixpath.dirname(path)), "lunr", "min")
            files += [path, *(posixpath.join(lunr, f"lunr.{name}.min.js") for name in (
                "stemmer.support", *(lang for lang in languages if lang != "en"),
                *(["multi"] if len(languages) > 1 else [])))]
    for path in list(files):  # what the stylesheets name: fonts, images
        if path.endswith(".css") and (site_dir / path).is_file():
            css = (site_dir / path).read_text("utf-8")
            for url in CSS_URL.findall(css):
                found = _local(posixpath.dirname(path), url)
                if found and found not in files:
                    files.append(found)
    digest = hashlib.sha256()
    for path in [*(f"{page}index.html" for page in pages), *files]:
        if not (site_dir / path).is_file():
            raise PluginError(f"{SERVICE_WORKER}: an offline page loads {path}, which is not built")
        digest.update(path.encode() + b"\0" + (site_dir / path).read_bytes())
    text = worker.read_text("utf-8")
    for name, value in (("PAGES", pages), ("FILES", files), ("VERSION", digest.hexdigest()[:16])):
        line = re.compile(rf"^const {name} = .*; // filled at build$", re.M)
        if not line.search(text):
            raise PluginError(f"{SERVICE_WORKER}: no `const {name} = ...; // filled at build` line")
        text = line.sub(lambda _m, n=name, v=value: f"const {n} = {json.dumps(v)};", text, count=1)
    worker.write_text(text, "utf-8")
