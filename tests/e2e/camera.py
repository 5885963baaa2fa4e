"""Pictures for the camera scan's tests: made with Pillow, each with a red mark in its top left
corner so a test can tell, from the PDF, which way up a page was put."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

RED = (200, 20, 20)


def photo(path: Path, width: int, height: int, *, noise: bool = False, fmt: str = "JPEG") -> Path:
    """A « document »: white paper, grey lines of « text », a red square at the top left.
    `noise` fills it with random pixels instead (a photo that compresses badly)."""
    if noise:
        rng = random.Random(width * 7919 + height)
        image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (250, 250, 247))
        draw = ImageDraw.Draw(image)
        for y in range(height // 6, height - height // 10, max(height // 30, 4)):
            draw.rectangle([width // 10, y, width - width // 8, y + max(height // 120, 2)],
                           fill=(90, 90, 90))
    draw = ImageDraw.Draw(image)
    side = min(width, height) // 5
    draw.rectangle([0, 0, side, side], fill=RED)
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=92) if fmt == "JPEG" else image.save(buffer, fmt)
    path.write_bytes(buffer.getvalue())
    return path


def red_corner(image: Image.Image) -> str:
    """Which corner of `image` holds the red mark: "top-left", "top-right", ..."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    corners = {"top-left": (w // 20, h // 20), "top-right": (w - 1 - w // 20, h // 20),
               "bottom-left": (w // 20, h - 1 - h // 20),
               "bottom-right": (w - 1 - w // 20, h - 1 - h // 20)}
    found = [name for name, xy in corners.items()
             if (lambda p: p[0] > 150 and p[1] < 90 and p[2] < 90)(rgb.getpixel(xy))]
    assert len(found) == 1, f"red mark in {found}"
    return found[0]


def pdf_pages(data: bytes) -> list[dict]:
    """Each page of a PDF: its size in points and its one image (a PIL image)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        images = list(page.images)
        assert len(images) == 1, "one photo per page"
        pages.append({"width": float(page.mediabox.width), "height": float(page.mediabox.height),
                      "image": images[0].image})
    return pages
