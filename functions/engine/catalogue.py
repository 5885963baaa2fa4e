"""Acts catalogue and formulas: lookup and search."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from shared.dates import fr_date

from .errors import ActNotAvailableError, CareDateError, UnknownActError, UnknownFormulaError
from .models import Act, Formula
from .rules import ActDef, ActVersion, FormulaDef, FormulaVersion, latest, load_rules, pick

_STOPWORDS = frozenset(
    ["a", "au", "aux", "avec", "chez", "d", "de", "des", "du", "en", "et", "l", "la", "le"]
    + ["les", "mon", "ma", "mes", "pour", "par", "sur", "un", "une"]
)


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: « Médecin » and « medecin » match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", plain.replace("œ", "oe")).split())


def _tokens(query: str) -> list[str]:
    tokens = []
    for token in normalize(query).split():
        if token in _STOPWORDS:
            continue
        # Crude French plural folding: « lunettes » finds « lunette », « dents » « dentaire ».
        if len(token) > 3 and token.endswith(("s", "x")):
            token = token[:-1]
        tokens.append(token)
    return tokens


def check_care_date(on: date) -> None:
    acts = load_rules().acts
    if on < acts.rules_start:
        raise CareDateError(
            "care_date_before_rules",
            f"Les remboursements ne peuvent être calculés que pour des soins à partir du "
            f"{fr_date(acts.rules_start)}. Vérifiez la date des soins ({fr_date(on)}).",
            "care_date",
        )


def rules_known_until() -> date:
    """The last day the rules are known for. Past it the engine goes on with the newest rules
    it has (those in force that day), and says so: a portal keeps serving when the calendar
    passes its newest rules."""
    return load_rules().acts.known_until


def rules_date(on: date) -> date:
    """The day whose rules a computation for `on` rests on."""
    return min(on, rules_known_until())


def beyond_rules_note(on: date) -> str | None:
    """What a member is told when a figure for `on` rests on older rules, else None."""
    known = rules_known_until()
    if on <= known:
        return None
    return (f"Calcul établi avec les règles connues au {fr_date(known)}, les plus récentes dont "
            f"nous disposons : celles en vigueur le {fr_date(on)} ne sont pas encore publiées, "
            f"le remboursement pourra différer.")


def act_def(code: str) -> ActDef:
    act = load_rules().acts_by_code.get(code.strip().upper())
    if act is None:
        raise UnknownActError(
            "unknown_act",
            f"Le soin « {code} » n'existe pas dans notre liste. Recherchez le soin par son nom "
            f"(par exemple « consultation », « lunettes », « pharmacie ») et choisissez-le "
            f"dans la liste.",
            "act_code",
        )
    return act


def act_version(act: ActDef, on: date) -> ActVersion:
    version = pick(act.versions, on)
    if version is None:
        first = min(v.valid_from for v in act.versions)
        when = (
            f"il n'est remboursé qu'à partir du {fr_date(first)}"
            if on < first
            else "il n'est plus remboursé à cette date"
        )
        raise ActNotAvailableError(
            "act_not_available",
            f"Le soin « {act.label} » ne peut pas être pris en compte pour le "
            f"{fr_date(on)} : {when}. Vérifiez la date des soins ou choisissez un autre soin.",
            "care_date",
        )
    return version


def _act_view(act: ActDef, version: ActVersion) -> Act:
    rules = load_rules()
    return Act(
        code=act.code,
        official_code=act.official_code,
        aliases=list(act.aliases),
        label=act.label,
        keywords=list(act.keywords),
        category=act.category,
        category_label=rules.acts.categories[act.category],
        base_cents=version.base_cents,
        base_is_price=version.base_cents is None,
        rate_percent=version.rate_percent,
        out_of_pathway_rate_percent=version.out_of_pathway_rate_percent,
        non_optam_base_cents=version.non_optam_base_cents,
        age_bases=list(version.age_bases),
        price_cap_cents=version.price_cap_cents,
        participation=act.participation,
        franchise=act.franchise,
        needs_sector=act.needs_sector,
        care_pathway=act.care_pathway,
        basket=act.basket,
        renewal=act.renewal,
        heavy_act=act.heavy_act_flat_code is not None,
        direct_access=act.direct_access.label if act.direct_access else None,
        correction=act.correction,
        quantity_unit=act.quantity_unit[0],
        quantity_unit_plural=act.quantity_unit[1],
        max_quantity=act.max_quantity,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        unconfirmed=act.unconfirmed or version.unconfirmed or bool(version.unconfirmed_figures),
        unconfirmed_figures=list(version.unconfirmed_figures),
        source=version.source or act.source,
    )


def get_act(code: str, on: date | None = None) -> Act:
    """The act as in force on ``on`` (latest version when ``on`` is None)."""
    act = act_def(code)
    version = latest(act.versions) if on is None else act_version(act, on)
    return _act_view(act, version)


def list_acts(on: date | None = None) -> list[Act]:
    acts = []
    for act in load_rules().acts.acts:
        version = latest(act.versions) if on is None else pick(act.versions, on)
        if version is not None:
            acts.append(_act_view(act, version))
    return acts


def search_acts(
    query: str, on: date | None = None, category: str | None = None, limit: int | None = None
) -> list[Act]:
    """Acts where every word of the query starts a word of the label, keywords, category
    or code.

    Accent- and case-insensitive. Only acts reimbursable on ``on`` (when given). Best
    matches first: code match, then words found in the label, then catalogue order.
    """
    tokens = _tokens(query)
    scored: list[tuple[int, int, Act]] = []
    for index, act in enumerate(list_acts(on)):
        if category and act.category != category:
            continue
        label = normalize(act.label)
        haystack = " ".join(
            [
                label,
                normalize(" ".join(act.keywords)),
                normalize(act.category_label),
                normalize(act.code),
                normalize(act.official_code or ""),
                normalize(" ".join(act.aliases)),
            ]
        )
        words = haystack.split()
        if not all(any(word.startswith(token) for word in words) for token in tokens):
            continue
        label_words = label.split()
        score = 0
        if tokens and normalize(query) == normalize(act.code):
            score += 100
        score += 10 * sum(any(w.startswith(token) for w in label_words) for token in tokens)
        if tokens and label.startswith(tokens[0]):
            score += 5
        scored.append((-score, index, act))
    scored.sort(key=lambda item: (item[0], item[1]))
    results = [act for _, _, act in scored]
    return results[:limit] if limit else results


# --- formulas ----------------------------------------------------------------------------


def formula_def(formula_id: str) -> FormulaDef:
    formula = load_rules().formulas_by_id.get(formula_id)
    if formula is None:
        known = ", ".join(f.id for f in load_rules().formulas.formulas)
        raise UnknownFormulaError(
            "unknown_formula",
            f"La formule « {formula_id} » n'existe pas (formules connues : {known}).",
            "formula_id",
        )
    return formula


def formula_version(formula: FormulaDef, on: date) -> FormulaVersion:
    version = pick(formula.versions, on)
    if version is None:
        raise UnknownFormulaError(
            "formula_not_available",
            f"La formule {formula.label} n'était pas proposée le {fr_date(on)} : "
            f"vérifiez la date des soins.",
            "care_date",
        )
    return version


def _formula_view(formula: FormulaDef, version: FormulaVersion) -> Formula:
    return Formula(
        id=formula.id,
        label=formula.label,
        description=formula.description,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        guarantees=dict(version.guarantees),
        forfaits=dict(version.forfaits),
    )


def get_formula(formula_id: str, on: date | None = None) -> Formula:
    formula = formula_def(formula_id)
    version = latest(formula.versions) if on is None else formula_version(formula, on)
    return _formula_view(formula, version)


def list_formulas(on: date | None = None) -> list[Formula]:
    formulas = []
    for formula in sorted(load_rules().formulas.formulas, key=lambda f: f.order):
        version = latest(formula.versions) if on is None else pick(formula.versions, on)
        if version is not None:
            formulas.append(_formula_view(formula, version))
    return formulas
