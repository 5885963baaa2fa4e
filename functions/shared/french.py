"""French typography the member reads: « de » elided before a vowel or a mute h, and the
non-breaking spaces of : ; ! ? and « »."""

from __future__ import annotations

import re

# A y sounds as a vowel before a consonant (« d'Yves ») and as a consonant before a vowel
# (« de Yasmine »).
_ELIDES = re.compile(r"^(h?[aeiouàâäéèêëîïôöùûüœæ]|y[^aeiouàâäéèêëîïôöùûü])", re.IGNORECASE)


def de(words: str) -> str:
    """de("Inès Lambert") -> "d'Inès Lambert", de("Karim") -> "de Karim"; a first name's h
    is taken as mute (« d'Hugo », « d'Hélène »)."""
    return f"d'{words}" if _ELIDES.match(words) else f"de {words}"


def spaced(text: str) -> str:
    """Non-breaking spaces before : ; ! ? » and after «, as French typography wants (a colon
    never starts a line on a phone's narrow screen)."""
    return re.sub(r"« ", "«\u00a0", re.sub(r" ([:;!?»])", "\u00a0\\1", text))
