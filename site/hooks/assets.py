"""Asset hook: self-hosted fonts, web app manifest and brand icons, written at build time.

- Fonts come from the npm package @fontsource/inter (pinned in package.json, installed with
  `npm ci` at the repository root). Only the Latin subsets of the weights we use are copied,
  with an @font-face stylesheet pointing at them: no font binary is committed and no
  third-party request is made. `font-display: optional`: a font that is not there when the
  text is first laid out (a first visit on a slow network) is not swapped in later, so the
  page never jumps when it arrives (layout shift); it is cached for the next pages (its name
  carries a hash, see hooks/bundle.py). Preloading the fonts instead would delay the first
  paint of every page on a phone network.
- The manifest and the icons are generated from `extra.brand`, so the brand stays in one
  place: SVG for the pages and browsers that take it, PNG (192 and 512 px, maskable, and the
  180 px « apple-touch-icon ») for the home screens that do not, drawn with Pillow and Inter.
"""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError

FONT_PACKAGE = Path("node_modules") / "@fontsource" / "inter"
FONT_WEIGHTS = (400, 500, 600, 700)
FONT_SUBSETS = ("latin", "latin-ext")
FACE_BLOCK = re.compile(r"/\*\s*inter-([a-z-]+)-(\d+)-normal\s*\*/\s*@font-face\s*\{(.*?)\}", re.S)
UNICODE_RANGE = re.compile(r"unicode-range:\s*([^;]+);")


def _repo_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent.parent


def _font_faces(package: Path, out_dir: Path) -> str:
    """Copy the woff2 files we need and return the matching @font-face rules."""
    rules = []
    for weight in FONT_WEIGHTS:
        css_file = package / f"{weight}.css"
        if not css_file.is_file():
            raise PluginError(f"{css_file} is missing: run `npm ci` at the repository root")
        for subset, found_weight, body in FACE_BLOCK.findall(css_file.read_text("utf-8")):
            if subset not in FONT_SUBSETS or int(found_weight) != weight:
                continue
            name = f"inter-{subset}-{weight}-normal.woff2"
            source = package / "files" / name
            if not source.is_file():
                raise PluginError(f"{source} is missing: run `npm ci` at the repository root")
            shutil.copyfile(source, out_dir / name)
            unicode_range = UNICODE_RANGE.search(body)
            rules.append(
                "@font-face {\n"
                "  font-family: 'Inter';\n"
                "  font-style: normal;\n"
                "  font-display: optional;\n"
                f"  font-weight: {weight};\n"
                f"  src: url(./{name}) format('woff2');\n"
                + (f"  unicode-range: {unicode_range.group(1).strip()};\n" if unicode_range else "")
                + "}\n"
            )
    if not rules:
        raise PluginError("no Inter font face found in @fontsource/inter")
    return "/* Inter (SIL Open Font License 1.1), from @fontsource/inter. */\n" + "".join(rules)


def _icon(brand: dict, maskable: bool) -> str:
    """A simple square icon: the brand initial on the brand colour."""
    initial = escape(brand["short_name"].strip()[:1].upper() or "M")
    colour = escape(brand["primary_color"])
    radius = 0 if maskable else 22
    size = 52 if maskable else 64
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" rx="{radius}" fill="{colour}"/>'
        '<path d="M50 80c-16-10-26-20-26-33 0-8 6-14 13-14 6 0 10 3 13 8 3-5 7-8 13-8 7 0 13 6 '
        '13 14 0 13-10 23-26 33z" fill="#ffffff" fill-opacity="0.18"/>'
        f'<text x="50" y="{50 + size * 0.36:.0f}" font-family="Inter, Arial, sans-serif" '
        f'font-size="{size}" font-weight="700" text-anchor="middle" fill="#ffffff">{initial}</text>'
        "</svg>\n"
    )


PNG_ICONS = (  # (file, size in px, maskable)
    ("icon-192.png", 192, False),
    ("icon-512.png", 512, False),
    ("icon-maskable-512.png", 512, True),
    ("apple-touch-icon.png", 180, True),  # iOS rounds the corners itself
)


def _png_icon(brand: dict, size: int, maskable: bool, font_file: Path) -> bytes:
    """The SVG icon's look as a PNG: the brand initial on the brand colour."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    colour = brand["primary_color"]
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=colour)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(size * 0.22), fill=colour)
    initial = brand["short_name"].strip()[:1].upper() or "M"
    font = ImageFont.truetype(str(font_file), round(size * (0.52 if maskable else 0.64)))
    draw.text((size / 2, size / 2), initial, font=font, fill="#ffffff", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _manifest(config) -> dict:
    brand = config.extra["brand"]
    return {
        "name": f"{brand['name']} – Espace adhérent",
        "short_name": brand["short_name"],
        "description": brand["tagline"],
        "lang": "fr",
        "dir": "ltr",
        "start_url": "espace/remboursements/",
        "scope": "./",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": brand["primary_color"],
        "icons": [
            {
                "src": "assets/brand/icon.svg",
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
            {
                "src": "assets/brand/icon-maskable.svg",
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "maskable",
            },
            *({
                "src": f"assets/brand/{name}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable" if maskable else "any",
            } for name, size, maskable in PNG_ICONS if name.startswith("icon-")),
        ],
        "shortcuts": [
            {"name": "Ma carte mutualiste", "url": "espace/contrat/carte/"},
            {"name": "Mes remboursements", "url": "espace/remboursements/"},
            {"name": "Demander un remboursement", "url": "espace/demande-remboursement/"},
            {"name": "Demander une estimation", "url": "espace/estimation/"},
        ],
    }


def on_post_build(config, **kwargs):
    site_dir = Path(config.site_dir)

    fonts_dir = site_dir / "assets" / "fonts"
    fonts_dir.mkdir(parents=True, exist_ok=True)
    package = _repo_root(config) / FONT_PACKAGE
    (fonts_dir / "inter.css").write_text(_font_faces(package, fonts_dir), "utf-8")

    brand_dir = site_dir / "assets" / "brand"
    brand_dir.mkdir(parents=True, exist_ok=True)
    brand = config.extra["brand"]
    (brand_dir / "icon.svg").write_text(_icon(brand, maskable=False), "utf-8")
    (brand_dir / "icon-maskable.svg").write_text(_icon(brand, maskable=True), "utf-8")
    font_file = package / "files" / "inter-latin-700-normal.woff"
    if not font_file.is_file():
        raise PluginError(f"{font_file} is missing: run `npm ci` at the repository root")
    for name, size, maskable in PNG_ICONS:
        (brand_dir / name).write_bytes(_png_icon(brand, size, maskable, font_file))

    manifest = json.dumps(_manifest(config), ensure_ascii=False, indent=2)
    (site_dir / "manifest.webmanifest").write_text(manifest + "\n", "utf-8")
