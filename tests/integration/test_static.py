"""The local server's static answers: compressed for the browsers that ask (and only them), a
year of cache for content-hashed assets, none for pages, a short one for the rest; HEAD
answers the same headers without a body; the security headers stay on every answer."""

from __future__ import annotations

import gzip
import http.client

import pytest

from infra.deploy_site import IMMUTABLE, SHORT
from infra.local.server import ENCODINGS, SECURITY_HEADERS

PAGE = "<!doctype html><title>Accueil</title>" + "<p>Bienvenue dans votre espace.</p>\n" * 60
SCRIPT = "export const greet = (name) => `Bonjour ${name}`;\n" * 40
STYLE = ".ea-card{padding:1rem;color:#222}\n" * 60
FILES = {
    "index.html": PAGE,
    "404.html": "<!doctype html><h1>Introuvable</h1>" + "<p>Page introuvable.</p>" * 60,
    "assets/js/pages/home-ABCD2345.js": SCRIPT,                 # ours, hashed
    "assets/css/app-QRST4567.css": STYLE,                       # ours, hashed
    "assets/stylesheets/main.0123abcd.min.css": STYLE,          # the theme's, hashed
    "assets/javascripts/lunr/min/lunr.fr.min.js": SCRIPT,       # the theme's, not hashed
    "assets/brand/icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'>" + " " * 1200 + "</svg>",
    "manifest.webmanifest": '{"name": "Espace"}',               # small: never compressed
}
FONT = bytes(range(256)) * 8


@pytest.fixture(scope="module")
def site_stack(local_stack):
    """The worker's local stack, serving these files (it reads the site from disk at each
    request: no stack of its own to start and seed)."""
    site = local_stack.site_dir
    for name, text in FILES.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, "utf-8")
    (site / "assets/fonts").mkdir(parents=True, exist_ok=True)
    (site / "assets/fonts/inter-latin-400-normal-WXYZ2345.woff2").write_bytes(FONT)
    return local_stack


def fetch(stack, path: str, method: str = "GET", **headers: str):
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path, name", [
    ("/", "index.html"),
    ("/assets/js/pages/home-ABCD2345.js", "assets/js/pages/home-ABCD2345.js"),
    ("/assets/css/app-QRST4567.css", "assets/css/app-QRST4567.css"),
    ("/assets/brand/icon.svg", "assets/brand/icon.svg"),
])
def test_text_is_gzipped_when_asked(site_stack, path, name):
    response, body = fetch(site_stack, path, **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert int(response.headers["Content-Length"]) == len(body)
    assert gzip.decompress(body).decode() == FILES[name]
    assert len(body) < len(FILES[name].encode()) / 3


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "deflate", "gzip;q=0, br;q=0"])
def test_text_is_sent_as_it_is_otherwise(site_stack, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    if accept is None:
        headers["Accept-Encoding"] = ""  # http.client sends `identity` when told nothing
    response, body = fetch(site_stack, "/assets/js/pages/home-ABCD2345.js", **headers)
    assert response.status == 200
    assert response.headers["Content-Encoding"] is None
    assert response.headers["Vary"] == "Accept-Encoding"
    assert body.decode() == SCRIPT
    assert int(response.headers["Content-Length"]) == len(body)


def test_the_preferred_encoding_the_server_has(site_stack):
    response, body = fetch(site_stack, "/", **{"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == ENCODINGS[0]  # br when brotli is installed
    response, body = fetch(site_stack, "/", **{"Accept-Encoding": "br;q=0.5, gzip;q=0.8"})
    assert response.headers["Content-Encoding"] == "gzip"
    response, body = fetch(site_stack, "/", **{"Accept-Encoding": "*"})
    assert response.headers["Content-Encoding"] == ENCODINGS[0]


def test_binary_and_small_files_are_never_compressed(site_stack):
    response, body = fetch(site_stack, "/assets/fonts/inter-latin-400-normal-WXYZ2345.woff2",
                           **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Type"] == "font/woff2"
    assert response.headers["Content-Encoding"] is None
    assert response.headers["Vary"] is None
    assert body == FONT
    response, body = fetch(site_stack, "/manifest.webmanifest", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] is None
    assert body.decode() == FILES["manifest.webmanifest"]


@pytest.mark.parametrize("path, cache", [
    ("/", "no-cache"),
    ("/index.html", "no-cache"),
    ("/assets/js/pages/home-ABCD2345.js", IMMUTABLE),
    ("/assets/css/app-QRST4567.css", IMMUTABLE),
    ("/assets/fonts/inter-latin-400-normal-WXYZ2345.woff2", IMMUTABLE),
    ("/assets/stylesheets/main.0123abcd.min.css", IMMUTABLE),
    ("/assets/javascripts/lunr/min/lunr.fr.min.js", SHORT),
    ("/assets/brand/icon.svg", SHORT),
    ("/manifest.webmanifest", SHORT),
])
def test_cache_control_by_kind_of_file(site_stack, path, cache):
    assert IMMUTABLE == "public, max-age=31536000, immutable"
    response, _ = fetch(site_stack, path, **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Cache-Control"] == cache


def test_a_missing_asset_is_a_404_page_never_cached(site_stack):
    response, body = fetch(site_stack, "/assets/js/pages/home-ZZZZ2345.js")
    assert response.status == 404
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Introuvable" in body


@pytest.mark.parametrize("accept", ["gzip", ""])
@pytest.mark.parametrize("path", ["/", "/assets/css/app-QRST4567.css",
                                  "/assets/fonts/inter-latin-400-normal-WXYZ2345.woff2"])
def test_head_answers_the_headers_of_get_without_a_body(site_stack, path, accept):
    got, got_body = fetch(site_stack, path, **{"Accept-Encoding": accept})
    head, head_body = fetch(site_stack, path, "HEAD", **{"Accept-Encoding": accept})
    assert head.status == got.status == 200
    assert head_body == b""
    keep = ("Content-Type", "Content-Length", "Content-Encoding", "Cache-Control", "Vary",
            *SECURITY_HEADERS)
    assert {k: head.headers[k] for k in keep} == {k: got.headers[k] for k in keep}
    assert int(head.headers["Content-Length"]) == len(got_body)


@pytest.mark.parametrize("path", ["/", "/assets/css/app-QRST4567.css", "/nowhere/"])
def test_security_headers_stay_on_every_static_answer(site_stack, path):
    response, _ = fetch(site_stack, path, **{"Accept-Encoding": "gzip"})
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["X-Content-Type-Options"] == "nosniff"
