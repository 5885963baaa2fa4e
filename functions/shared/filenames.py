"""File names that reach an HTTP header (the Content-Disposition of a download).

A name may be member input (an upload's name, shown to advisors who download it): before it
reaches a header it is reduced to a safe form — letters (accented ones too), digits, spaces and
`-_.()`; no path separator, control character, quote or semicolon — with the extension of the
content it names, whatever the name said (« facture.pdf.html » of a checked PDF is saved as
« facture.pdf »). It is then written by RFC 6266's rules: an ASCII `filename="…"` for old
clients and `filename*=UTF-8''…` (RFC 5987/8187 percent-encoding) that browsers prefer.

The standard library does the encoding (`email.utils.encode_rfc2231`); the Content-Disposition
packages on PyPI either leave quotes unescaped in the ASCII name or are too new to rely on.
"""

from __future__ import annotations

import re
import unicodedata
from email.utils import encode_rfc2231

# The content types we hand out, and the extension a saved file of each gets.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png",
              "text/csv": "csv", "application/zip": "zip"}
MAX_STEM = 100  # characters before the extension: enough for a name, short for a header
FALLBACK_STEM = "document"
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def extension_of(content_type: str | None) -> str | None:
    """The extension of a file of this content type, or None for one we do not know."""
    return EXTENSIONS.get((content_type or "").split(";")[0].strip().lower())


def _kept(char: str) -> bool:
    # Letters and digits of any script, and a few separators; nothing else (no control
    # character, quote, semicolon, slash, backslash, percent or equals sign).
    return unicodedata.category(char)[0] in "LN" or char in " -_.()"


def safe_filename(name: str, ext: str | None) -> str:
    """The name reduced to a safe form, ending with `.ext` (the checked content's extension);
    with `ext` None, the name keeps its own extension, if a safe one remains."""
    text = unicodedata.normalize("NFC", name)
    # A path keeps only its last part.
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(c if _kept(c) else " " for c in text)
    text = " ".join(text.split())
    if ext:
        # The extension it claims gives way to the one of its content, and the content's own
        # one is not doubled (« facture.pdf.html » of a PDF is « facture.pdf »).
        text = _SUFFIX.sub("", text)
        same = f"{re.escape(ext)}|jpeg" if ext == "jpg" else re.escape(ext)
        text = re.sub(rf"\.({same})$", "", text, flags=re.IGNORECASE)
        own = ext
    else:
        own = None
        found = _SUFFIX.search(text)
        if found:
            own, text = found.group()[1:].lower(), text[:found.start()]
    stem = text.strip(" .-")[:MAX_STEM].strip(" .-") or FALLBACK_STEM
    return f"{stem}.{own}" if own else stem


def ascii_filename(name: str) -> str:
    """The closest plain-ASCII form of a safe name (accents dropped), for old clients."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = "".join(c for c in plain if c.isalnum() or c in " -_.()")
    stem, dot, ext = plain.rpartition(".")
    if not dot:
        stem, ext = plain, ""
    stem = " ".join(stem.split()).strip(" .-") or FALLBACK_STEM
    return f"{stem}.{ext}" if ext else stem


def content_disposition(name: str, content_type: str | None,
                        disposition: str = "attachment") -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` for a file of this type, by RFC 6266."""
    safe = safe_filename(name, extension_of(content_type))
    return (f'{disposition}; filename="{ascii_filename(safe)}"; '
            f"filename*={encode_rfc2231(safe, 'UTF-8')}")
