"""Towns and postcodes: suggestions for the town field, and where a search starts from.

The places table files towns under the first two letters of their name (without an article:
« Le Havre » is found from « ha » too) and postcodes under their department; one read gives
every candidate, ranked here: the exact name or postcode first, then the larger towns.
"""

from __future__ import annotations

import re
import unicodedata

from services import repository
from services.models import OriginOut, TownOut, TownRecord
from shared.errors import BadRequest

ARTICLES = ("les ", "le ", "la ", "l ")
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
POSTCODE = re.compile(r"^\d{5}$")
SUGGESTIONS = 8


def normalize(text: str) -> str:
    """Lower case, no accent, words separated by one space; « St » and « Ste » spelt out."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def without_article(normalized: str) -> str:
    for article in ARTICLES:
        if normalized.startswith(article):
            return normalized[len(article):]
    return normalized


def keys_of(name: str) -> set[str]:
    """Where a town is filed: the first two letters of its name, with and without article."""
    normalized = normalize(name)
    return {form.replace(" ", "")[:2] for form in (normalized, without_article(normalized))
            if form}


def _key(normalized: str) -> str | None:
    """The key to read for a query: its first two letters, past an article when it can."""
    for form in (without_article(normalized), normalized):
        compact = form.replace(" ", "")
        if len(compact) >= 2:
            return compact[:2]
    return None


def _matches(town: TownRecord, query: str) -> bool:
    name = normalize(town.name)
    return any(form.replace(" ", "").startswith(query.replace(" ", ""))
               for form in (name, without_article(name)))


def _label(name: str, postcodes: tuple[str, ...] | list[str]) -> str:
    codes = sorted(postcodes)
    return f"{name} ({codes[0]})" if len(codes) == 1 else f"{name} ({codes[0]} à {codes[-1]})"


def _out(town: TownRecord, postcode: str | None = None) -> TownOut:
    postcodes = list(town.postcodes)
    return TownOut(name=town.name, postcode=postcode or postcodes[0], postcodes=postcodes,
                   label=_label(town.name, [postcode] if postcode else postcodes),
                   lat=town.lat, lon=town.lon)


def _rank_towns(towns: list[TownRecord], query: str) -> list[TownRecord]:
    return sorted(towns, key=lambda t: (normalize(t.name) != query, -t.population, t.name))


def suggest(query: str) -> list[TownOut]:
    """The towns a member may mean by what she typed (a name's start or a postcode's)."""
    text = query.strip()
    if text.isdigit():
        if len(text) < 2 or len(text) > 5:
            return []
        found = [(p, t) for p, t in repository.postcodes_of_department(text[:2])
                 if p.startswith(text)]
        found.sort(key=lambda pair: (pair[0] != text, len(pair[1].postcodes) > 1,
                                     -pair[1].population, pair[0], pair[1].name))
        return [_out(t, p) for p, t in found[:SUGGESTIONS]]
    normalized = normalize(text)
    key = _key(normalized)
    if key is None:
        return []
    candidates = [t for t in repository.towns_starting(key) if _matches(t, normalized)
                  or _matches(t, without_article(normalized))]
    unique = {(t.name, t.postcodes): t for t in candidates}
    return [_out(t) for t in _rank_towns(list(unique.values()), normalized)[:SUGGESTIONS]]


def from_postcode(postcode: str) -> OriginOut:
    code = postcode.strip().replace(" ", "")
    if not POSTCODE.match(code):
        raise BadRequest("Un code postal s'écrit avec 5 chiffres, par exemple 69003.",
                         code="postcode", fields={"postcode": "5 chiffres attendus"})
    # The most precise commune of the postcode (an arrondissement rather than its city).
    towns = [t for p, t in repository.postcodes_of_department(code[:2]) if p == code]
    if not towns:
        raise BadRequest(f"Nous ne connaissons pas le code postal {code} en France "
                         "métropolitaine. Vérifiez-le, ou cherchez par commune.",
                         code="unknown_postcode", fields={"postcode": "code postal inconnu"})
    town = min(towns, key=lambda t: (len(t.postcodes), -t.population, t.name))
    return OriginOut(label=f"{town.name} ({code})", lat=town.lat, lon=town.lon,
                     approximate=town.approx)


def from_town(name: str, postcode: str | None = None) -> OriginOut:
    """A town by its name (as suggested), the postcode choosing among namesakes."""
    normalized = normalize(name)
    key = _key(normalized)
    if key is None:
        raise BadRequest("Indiquez le nom de la commune (2 lettres au moins).",
                         code="town", fields={"town": "nom trop court"})
    same = [t for t in repository.towns_starting(key)
            if normalize(t.name) == normalized]
    if postcode:
        same = [t for t in same if postcode.strip() in t.postcodes] or same
    if not same:
        raise BadRequest(f"Nous ne trouvons pas la commune « {name.strip()} ». Choisissez-la "
                         "dans la liste proposée, ou cherchez par code postal.",
                         code="unknown_town", fields={"town": "commune inconnue"})
    town = _rank_towns(same, normalized)[0]
    code = postcode.strip() if postcode and postcode.strip() in town.postcodes else None
    return OriginOut(label=_label(town.name, [code] if code else town.postcodes),
                     lat=town.lat, lon=town.lon, approximate=town.approx)
