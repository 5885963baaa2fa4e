"""Verification codes of attestations: 20 characters of Crockford's base32 (100 random bits,
never guessed nor enumerated), printed in groups of four so that a person can type one from
paper; what she types is read forgivingly (case, spaces, dashes, O for 0, I and L for 1)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
_CANONICAL = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def canonical(typed: str) -> str | None:
    """The code as stored, or None when what was typed cannot be a code."""
    code = re.sub(r"[\s-]", "", typed).upper().translate(_LOOKALIKES)
    return code if _CANONICAL.match(code) else None


def printed(code: str) -> str:
    """« K7QM-2XHD-9RTC-4WVB-P3NA »"""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
