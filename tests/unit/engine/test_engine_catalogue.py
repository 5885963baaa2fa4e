"""Catalogue, formulas, rules data and money helpers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from engine import (
    ActNotAvailableError,
    UnknownActError,
    get_act,
    get_formula,
    list_acts,
    list_formulas,
    load_rules,
    search_acts,
)
from engine.money import add_months, div_half_up, percent_of
from engine.rules import RULES_DIR
from shared.dates import age_on
from shared.money import format_eur

D = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("lunettes", "OPT-A"),
        ("LUNETTES 100 % santé", "OPT-A"),
        ("medecin generaliste", "G"),
        ("Médecin généraliste", "G"),
        ("téléconsultation", "TCG"),
        ("spécialiste", "CS"),
        ("dents", "HBJD001"),
        ("couronne", "HBLD634"),
        ("prise de sang", "B"),
        ("pharmacie", "PH7"),
        ("hôpital", "FS"),
        ("forfait journalier", "FJ"),
        ("urgences", "FPU"),
        ("appareil auditif", "AUD-1"),
        ("kiné", "AMK"),
        ("ostéopathe", "OSTEO"),
        ("G", "G"),
        ("cs", "CS"),
    ],
)
def test_search(query: str, first: str) -> None:
    results = search_acts(query, on=D)
    assert results, query
    assert results[0].code == first


def test_search_misses_and_dates() -> None:
    assert search_acts("xylophone", on=D) == []
    assert [a.code for a in search_acts("consultation longue", on=date(2025, 6, 1))] == []
    assert [a.code for a in search_acts("consultation longue", on=D)] == ["GL"]
    assert {a.category for a in search_acts("", on=D, category="optics")} == {"optics"}


def test_act_view_is_dated() -> None:
    g_2024 = get_act("G", on=date(2024, 6, 1))
    g_2026 = get_act("G", on=D)
    assert (g_2024.base_cents, g_2026.base_cents) == (2650, 3000)
    assert g_2026.rate_percent == 70 and isinstance(g_2026.rate_percent, int)
    assert g_2026.category_label == "Médecin généraliste"
    assert g_2026.needs_sector is True
    assert g_2026.age_bases[0].base_cents == 3500
    assert get_act("FJ", on=date(2026, 2, 28)).base_cents == 2000
    assert get_act("FJ", on=date(2026, 3, 1)).base_cents == 2300
    assert get_act("FJP", on=date(2026, 3, 1)).base_cents == 1700
    assert get_act("PAV", on=date(2026, 4, 21)).base_cents == 2400
    assert get_act("PAV", on=date(2026, 4, 22)).base_cents == 3200
    assert get_act("PH7").base_cents is None and get_act("PH7").base_is_price
    assert [get_act(c).rate_percent for c in ("PH7", "PH4", "PH2", "B", "HBJD001")] == [
        65,
        30,
        15,
        60,
        60,
    ]
    assert get_act("AUD-1").base_cents == 40000 and get_act("AUD-1").rate_percent == 60
    assert get_act("OPT-A-MONT").price_cap_cents == 3000
    with pytest.raises(UnknownActError):
        get_act("NOPE")
    with pytest.raises(ActNotAvailableError):
        get_act("GL", on=date(2025, 1, 1))
    assert get_act("G").model_dump(mode="json")["code"] == "G"
    # A code removed from the CCAM still finds the act that replaced it.
    assert get_act("bfga004").code == "BFGA427"
    assert [get_act("AMK", on=d).base_cents for d in (date(2024, 2, 21), date(2024, 2, 22))] == [
        1613,
        1658,
    ]
    assert get_act("AMK", on=date(2026, 1, 1)).base_cents == 1790
    assert get_act("GL", on=D).rate_percent == 100


def test_every_act_has_french_label_keywords_and_source() -> None:
    for act in list_acts():
        assert act.label and act.keywords and act.category_label
        assert act.source, act.code


def test_formulas() -> None:
    formulas = list_formulas(on=D)
    assert [f.id for f in formulas] == ["essentielle", "equilibre", "integrale"]
    equilibre = get_formula("equilibre", on=D)
    assert equilibre.label == "Équilibre"
    assert equilibre.guarantees["consultation_gp"].percent == 150
    assert equilibre.forfaits["optics"].period_months == 24
    assert equilibre.forfaits["hearing"].period_months == 48
    assert equilibre.forfaits["alternative_medicine"].period_months is None
    for formula in formulas:
        # Contrat responsable: 100 % Santé and the forfait journalier always covered.
        g = formula.guarantees
        assert g["optics_100_sante"].sante_100 and g["hearing_100_sante"].sante_100
        assert g["dental_100_sante"].sante_100
        assert g["hospital_daily_charge"].percent == 100
        for guarantee in g.values():
            if guarantee.percent_non_optam is not None:
                assert guarantee.percent_non_optam <= 200
                if guarantee.percent > 100:
                    assert guarantee.percent_non_optam <= guarantee.percent - 20
    assert formulas[0].model_dump(mode="json")["id"] == "essentielle"


def test_every_act_guarantee_exists_in_mid_formula() -> None:
    equilibre = get_formula("equilibre")
    assert {a.code for a in list_acts()} == {a.code for a in load_rules().acts.acts}
    for act in load_rules().acts.acts:
        assert act.guarantee in equilibre.guarantees, act.code


def test_rules_files_are_json_without_floats() -> None:
    def walk(value):
        if isinstance(value, float):
            raise AssertionError(f"float in rules: {value}")
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        if isinstance(value, list):
            for v in value:
                walk(v)

    for name in ("acts.json", "deductibles.json", "formulas.json"):
        walk(json.loads((RULES_DIR / name).read_text(encoding="utf-8")))


def test_rules_loaded_once() -> None:
    assert load_rules() is load_rules()


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (3000, 70, 2100),
        (2892, 60, 1735),
        (1613, 60, 968),
        (333, 15, 50),
        (1, 50, 1),
        (3, 50, 2),
        (5, 60, 3),
        (0, 70, 0),
        (27170, 180, 48906),
    ],
)
def test_percent_rounds_half_up(amount: int, percent: int, expected: int) -> None:
    assert percent_of(amount, percent) == expected


def test_money_helpers() -> None:
    assert div_half_up(5, 2) == 3 and div_half_up(-5, 2) == -3
    assert format_eur(3000) == "30,00\u00a0€"
    assert format_eur(5) == "0,05\u00a0€"
    assert format_eur(170000) == "1\u202f700,00\u00a0€"
    assert format_eur(123456789) == "1\u202f234\u202f567,89\u00a0€"
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert age_on(date(2008, 3, 2), date(2026, 3, 1)) == 17
    assert age_on(date(2008, 3, 2), date(2026, 3, 2)) == 18


def test_rules_check_refuses_a_formula_breaking_the_contrat_responsable() -> None:
    from engine import RulesDataError
    from engine.rules import Rules, _check

    data = load_rules().model_dump(mode="json")
    equilibre = next(f for f in data["formulas"]["formulas"] if f["id"] == "equilibre")
    equilibre["versions"][0]["guarantees"]["consultation_specialist"]["percent_non_optam"] = 190
    with pytest.raises(RulesDataError, match="contrat responsable"):
        _check(Rules.model_validate(data))


# --- the catalogue members search --------------------------------------------------------


def test_catalogue_covers_what_members_estimate() -> None:
    acts = list_acts(on=D)
    assert len(acts) >= 100
    by_category: dict[str, int] = {}
    for act in acts:
        by_category[act.category] = by_category.get(act.category, 0) + 1
    for category in (
        "consultation_gp",
        "consultation_specialist",
        "imaging",
        "lab",
        "vaccination",
        "midwife",
        "paramedical",
        "mental_health",
        "dental_care",
        "dental_prosthesis",
        "optics",
        "hearing",
        "hospital",
        "transport",
        "alternative_medicine",
        "pharmacy",
    ):
        assert by_category.get(category, 0) >= 2, category
    for act in acts:
        assert act.source, act.code
        assert act.rate_percent in range(0, 101)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("radio", "ZBQK002"),
        ("radio genou", "RADIO-MEMBRE"),
        ("échographie", "ECHO-ABDO"),
        ("IRM", "IRM"),
        ("scanner", "SCANNER"),
        ("mammographie", "QEQK004"),
        ("prise de sang", "B"),
        ("prise de sang infirmière", "AMI-PDS"),
        ("vaccin", "VACCIN"),
        ("sage-femme", "SF-C"),
        ("infirmière", "AMI-INJ"),
        ("orthophoniste", "AMO-SEANCE"),
        ("orthoptiste", "AMY-SEANCE"),
        ("psychologue", "PSY"),
        ("mon soutien psy", "PSY"),
        ("dentiste", "CDENT"),
        ("carie", "CARIE"),
        ("orthodontie", "ORTHO-ENF"),
        ("orthodontie adulte", "ORTHO-ADULTE"),
        ("implant", "IMPLANT"),
        ("lentilles", "LENTILLES"),
        ("lunettes enfant", "OPT-A"),
        ("progressif", "OPT-B-VERRE-C"),
        ("appareil auditif classe 2", "AUD-2"),
        ("urgences", "FPU"),
        ("chambre particulière", "CHAMBRE"),
        ("ambulance", "AMBULANCE"),
        ("taxi", "TRANSPORT"),
        ("dermatologue", "CS-DERM"),
        ("gynécologue", "CS-GYN"),
        ("ophtalmo", "CS-OPH"),
        ("pédiatre", "CS-PED"),
        ("psychiatre", "CNPSY"),
        ("cardiologue", "CSC"),
        ("acupuncture", "ACUPUNCTURE"),
        ("diététicien", "DIETETIQUE"),
        ("cataracte", "BFGA427"),
        ("BFGA004", "BFGA427"),
        ("kiné bronchiolite", "AMK-RESP"),
        ("pilule", "CONTRACEPTION"),
    ],
)
def test_members_words_find_the_act(query: str, expected: str) -> None:
    codes = [a.code for a in search_acts(query, on=D)]
    assert expected in codes[:3], (query, codes[:5])


def test_seed_words_keep_their_first_act() -> None:
    """The demo seed picks the first optics act for « lunettes » and the first prosthesis for
    « couronne »: they stay the 100 % Santé ones."""
    assert next(a for a in search_acts("lunettes", on=D) if a.category == "optics").code == "OPT-A"
    assert (
        next(a for a in search_acts("couronne", on=D) if a.category == "dental_prosthesis").code
        == "HBLD634"
    )


def test_loader_checks_cover_regimes_and_dates() -> None:
    from engine import RulesDataError
    from engine.rules import Rules, _check

    data = load_rules().model_dump(mode="json")
    data["regimes"]["versions"][0]["valid_from"] = "2024-01-01"
    with pytest.raises(RulesDataError, match="régimes : aucune règle en vigueur le 2023-12-01"):
        _check(Rules.model_validate(data))
    data = load_rules().model_dump(mode="json")
    data["deductibles"]["participation_forfaitaire"][0]["valid_to"] = "2024-05-10"
    with pytest.raises(RulesDataError, match="participation forfaitaire"):
        _check(Rules.model_validate(data))
    data = load_rules().model_dump(mode="json")
    data["acts"]["acts"][0]["aliases"] = ["CS"]
    with pytest.raises(RulesDataError, match="même code"):
        _check(Rules.model_validate(data))
