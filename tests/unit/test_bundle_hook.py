"""The site build's bundler hook (site/hooks/bundle.py): what it maps, and what it refuses."""

import importlib.util
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("ea_site_bundle",
                                               ROOT / "site" / "hooks" / "bundle.py")
bundle = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("ea_site_bundle", bundle)  # dataclasses look their module up
_spec.loader.exec_module(bundle)


def meta(*imports: dict) -> dict:
    return {"outputs": {"assets/js/chunks/chunk-A.js": {"imports": list(imports)}}}


def test_a_package_missing_from_node_modules_fails_the_build(tmp_path):
    """esbuild keeps an import() it cannot resolve and only warns: the page would fail in the
    browser (« Failed to resolve module specifier »), as a passkey's prompt did once."""
    missing = {"path": "@simplewebauthn/browser", "kind": "dynamic-import", "external": True}
    with pytest.raises(PluginError, match="@simplewebauthn/browser"):
        bundle._outputs(meta(missing), tmp_path)


def test_resolved_imports_are_mapped(tmp_path):
    chunk = {"path": "assets/js/chunks/chunk-B.js", "kind": "import-statement"}
    lazy = {"path": "assets/js/chunks/chunk-C.js", "kind": "dynamic-import"}
    _, imports = bundle._outputs(meta(chunk, lazy), tmp_path)
    assert imports == {"assets/js/chunks/chunk-A.js": ["assets/js/chunks/chunk-B.js"]}
