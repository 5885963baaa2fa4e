"""Regimes and situations, worked examples exact to the cent.

Sources: /work/shared/reference/domain-fr.md, « Regimes and situations that change the
split » (ALD, maternity, newborns, C2S/AME: ameli, quechoisir, magnolia; Alsace-Moselle: le
quotidien du médecin, lelynx; AT/MP) and the figures of the same file (G €30, participation
€2, franchise €1 a box, forfait journalier €23 from 1 March 2026, forfait patient urgences
€9.96 reduced). Each case names the rule it shows. Formula Équilibre unless said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from domain.situation import Ald, Period, Pregnancy, Situation
from engine import BeneficiaryFacts, CareInput, InvalidCareError, compute
from tests.helpers import plain

D = date(2026, 3, 2)
BORN = date(1988, 5, 12)
DIABETES = Ald(start=date(2024, 1, 1), label="Diabète de type 2")


def facts(birth: date = BORN, **situation) -> BeneficiaryFacts:
    return BeneficiaryFacts(id="B1", birth_date=birth, situation=Situation(**situation))


ADULT = facts()
ALD = facts(ald=(DIABETES,))
ALD_ENDED = facts(ald=(Ald(start=date(2020, 1, 1), end=date(2025, 12, 31), label="Asthme"),))
# Expected birth 10 June 2026: maternity cover from 10 Feb 2026 (first day of the 6th month)
# to 22 June 2026 (12 days after); born on 5 June, the cover ends on 17 June.
PREGNANT = facts(pregnancies=(Pregnancy(expected_birth_date=date(2026, 6, 10)),))
BORN_EARLY = facts(
    pregnancies=(Pregnancy(expected_birth_date=date(2026, 6, 10), birth_date=date(2026, 6, 5)),)
)
NEWBORN = facts(birth=date(2026, 2, 20))
C2S = facts(c2s=(Period(start=date(2025, 9, 1), end=date(2026, 8, 31)),))
C2S_ENDED = facts(c2s=(Period(start=date(2024, 9, 1), end=date(2025, 8, 31)),))
AME = facts(ame=(Period(start=date(2026, 1, 1)),))
LOCAL = facts(regime="alsace_moselle")
LOCAL_ALD = facts(regime="alsace_moselle", ald=(DIABETES,))


@dataclass
class Case:
    id: str
    source: str
    care: CareInput
    benef: BeneficiaryFacts
    # real cost, base, social security (net), deductibles, mutual, out of pocket
    expected: tuple[int, int, int, int, int, int]
    situations: tuple[str, ...] = ()
    says: tuple[str, ...] = ()
    formula: str = "equilibre"


def care(code: str, price: int, day: date = D, **kw) -> CareInput:
    return CareInput(act_code=code, care_date=day, price_cents=price, **kw)


CASES = [
    # --- ALD ------------------------------------------------------------------------------
    Case(
        "ald_gp_linked",
        "ALD: care linked to the condition at 100 % of the base; participation still due",
        care("G", 3000, ald_related=True),
        ALD,
        (3000, 3000, 2800, 200, 0, 200),
        ("ald",),
        (
            "100 % de la base de 30,00 € (parcours de soins respecté) au titre de votre "
            "affection de longue durée (Diabète de type 2), moins la participation forfaitaire "
            "de 2,00 €, soit 28,00 €",
            "ne supprime ni la participation forfaitaire ni les franchises",
        ),
    ),
    Case(
        "ald_gp_not_linked",
        "ALD: other care as usual (G €30 × 70 % − €2 = €19)",
        care("G", 3000),
        ALD,
        (3000, 3000, 1900, 200, 900, 200),
    ),
    Case(
        "ald_pharmacy_linked",
        "ALD: medicines at 100 %, franchise €1 a box still due",
        care("PH7", 1500, quantity=3, ald_related=True),
        ALD,
        (1500, 1500, 1200, 300, 0, 300),
        ("ald",),
        ("Franchise médicale de 1,00 € × 3 boîtes = 3,00 €",),
    ),
    Case(
        "ald_heavy_act_linked",
        "ALD: surgery over €120 linked to the condition, without the heavy act flat charge",
        care("BFGA427", 27170, date(2026, 3, 10), ald_related=True),
        ALD,
        (27170, 27170, 27170, 0, 0, 0),
        ("ald",),
        ("sans forfait sur les actes lourds",),
    ),
    Case(
        "ald_emergency_reduced",
        "ALD: reduced forfait patient urgences €9.96 (from 1 March 2026)",
        care("FPU", 996, date(2026, 3, 10)),
        ALD,
        (996, 996, 0, 0, 996, 0),
        (),
        ("9,96 €", "montant réduit du forfait patient urgences"),
    ),
    # --- maternity ------------------------------------------------------------------------
    Case(
        "maternity_gp",
        "Maternity: from the 6th month, 100 %, no participation",
        care("G", 3000),
        PREGNANT,
        (3000, 3000, 3000, 0, 0, 0),
        ("maternity",),
        (
            "au titre de l'assurance maternité",
            "Participation forfaitaire non appliquée : grossesse",
        ),
    ),
    Case(
        "maternity_before_6th_month",
        "Maternity: not before the first day of the 6th month",
        care("G", 3000, date(2026, 2, 9)),
        PREGNANT,
        (3000, 3000, 1900, 200, 900, 200),
    ),
    Case(
        "maternity_first_day_6th_month",
        "Maternity: from the first day of the 6th month",
        care("G", 3000, date(2026, 2, 10)),
        PREGNANT,
        (3000, 3000, 3000, 0, 0, 0),
        ("maternity",),
    ),
    Case(
        "maternity_pharmacy",
        "Maternity: no franchise",
        care("PH4", 1000),
        PREGNANT,
        (1000, 1000, 1000, 0, 0, 0),
        ("maternity",),
    ),
    Case(
        "maternity_12_days_after_birth",
        "Maternity: until 12 days after the birth",
        care("G", 3000, date(2026, 6, 17)),
        BORN_EARLY,
        (3000, 3000, 3000, 0, 0, 0),
        ("maternity",),
    ),
    Case(
        "maternity_over",
        "Maternity: the 13th day after the birth is usual care again",
        care("G", 3000, date(2026, 6, 18)),
        BORN_EARLY,
        (3000, 3000, 1900, 200, 900, 200),
    ),
    Case(
        "maternity_hospital_days",
        "Maternity: no forfait journalier (€23 from 1 March 2026)",
        care("FJ", 6900, date(2026, 6, 5), quantity=3),
        BORN_EARLY,
        (6900, 6900, 6900, 0, 0, 0),
        ("maternity",),
        ("Le forfait journalier n'est pas à votre charge",),
    ),
    Case(
        "newborn_gp",
        "Newborn in the first 30 days: 100 % (G €35 under 6)",
        care("G", 3500),
        NEWBORN,
        (3500, 3500, 3500, 0, 0, 0),
        ("newborn",),
        ("nouveau-né de moins de 30 jours",),
    ),
    Case(
        "newborn_day_30",
        "Newborn: from the 30th day, usual care (70 % of €35, no participation under 18)",
        care("G", 3500, date(2026, 3, 22)),
        NEWBORN,
        (3500, 3500, 2450, 0, 1050, 0),
    ),
    # --- C2S and AME ----------------------------------------------------------------------
    Case(
        "c2s_gp",
        "C2S: no ticket modérateur, no participation",
        care("G", 3000),
        C2S,
        (3000, 3000, 3000, 0, 0, 0),
        ("c2s",),
        (
            "Complémentaire santé solidaire (C2S)",
            "Participation forfaitaire non appliquée : bénéficiaire de la Complémentaire",
        ),
    ),
    Case(
        "c2s_sector_2_at_tariff",
        "C2S: a sector 2 doctor bills the tariff of the convention",
        care("CS", 3150, sector=2),
        C2S,
        (3150, 3150, 3150, 0, 0, 0),
        ("c2s",),
    ),
    Case(
        "c2s_pharmacy",
        "C2S: no franchise",
        care("PH7", 1500, quantity=3),
        C2S,
        (1500, 1500, 1500, 0, 0, 0),
        ("c2s",),
    ),
    Case(
        "c2s_hospital_days",
        "C2S: no forfait journalier",
        care("FJ", 6900, date(2026, 3, 10), quantity=3),
        C2S,
        (6900, 6900, 6900, 0, 0, 0),
        ("c2s",),
    ),
    Case(
        "c2s_glasses_100_sante",
        "C2S: 100 % Santé basket paid up to the price cap, nothing for the mutuelle",
        care("OPT-A", 9500),
        C2S,
        (9500, 2850, 9500, 0, 0, 0),
        ("c2s",),
        ("prix limite de vente de 95,00 €",),
    ),
    Case(
        "c2s_ended",
        "C2S: outside its validity, usual care",
        care("G", 3000),
        C2S_ENDED,
        (3000, 3000, 1900, 200, 900, 200),
    ),
    Case(
        "ame_gp",
        "AME: no ticket modérateur, no participation",
        care("G", 3000),
        AME,
        (3000, 3000, 3000, 0, 0, 0),
        ("ame",),
        ("Aide médicale de l'État",),
    ),
    # --- Alsace-Moselle -------------------------------------------------------------------
    Case(
        "local_gp",
        "Alsace-Moselle: 90 % for doctors' fees (€27 − €2)",
        care("G", 3000),
        LOCAL,
        (3000, 3000, 2500, 200, 300, 200),
        ("alsace_moselle",),
        ("90 % de la base de 30,00 € (parcours de soins respecté) selon le régime local",),
    ),
    Case(
        "local_gp_out_of_pathway",
        "Alsace-Moselle: out of the care pathway, the same 40-point cut (50 %)",
        care("G", 3000, care_pathway=False),
        LOCAL,
        (3000, 3000, 1300, 200, 300, 1400),
        ("alsace_moselle",),
    ),
    Case(
        "local_pharmacy_65",
        "Alsace-Moselle: medicines at 65 % paid at 90 %",
        care("PH7", 1500, quantity=3),
        LOCAL,
        (1500, 1500, 1050, 300, 150, 300),
        ("alsace_moselle",),
    ),
    Case(
        "local_pharmacy_30",
        "Alsace-Moselle: medicines at 30 % paid at 80 %",
        care("PH4", 1000),
        LOCAL,
        (1000, 1000, 700, 100, 200, 100),
        ("alsace_moselle",),
    ),
    Case(
        "local_hospital_stay",
        "Alsace-Moselle: hospital at 100 %",
        care("FS", 100000),
        LOCAL,
        (100000, 100000, 100000, 0, 0, 0),
        ("alsace_moselle",),
    ),
    Case(
        "local_hospital_days",
        "Alsace-Moselle: the forfait journalier included",
        care("FJ", 6900, date(2026, 3, 10), quantity=3),
        LOCAL,
        (6900, 6900, 6900, 0, 0, 0),
        ("alsace_moselle",),
    ),
    Case(
        "local_and_ald",
        "Alsace-Moselle and ALD: the most favourable rate, 100 %",
        care("G", 3000, ald_related=True),
        LOCAL_ALD,
        (3000, 3000, 2800, 200, 0, 200),
        ("alsace_moselle", "ald"),
    ),
    # --- work accident --------------------------------------------------------------------
    # Code de la sécurité sociale L432-1 applies L160-13 II and III (participation, franchises)
    # to work accident care: 100 % of the base, minus the €2 participation that stays hers.
    Case(
        "work_accident_gp",
        "AT/MP: 100 % of the base, tiers payant, participation due",
        care("G", 3000, work_accident=True),
        ADULT,
        (3000, 3000, 2800, 200, 0, 200),
        ("work_accident",),
        ("accident du travail", "tiers payant", "Participation forfaitaire de 2,00 €",
         "ne supprime ni la participation forfaitaire ni les franchises médicales"),
    ),
    Case(
        "work_accident_physiotherapy",
        "AT/MP: physiotherapy at 100 % (AMS 8.1 × €2.21 = €17.90), €1 franchise due",
        care("AMK", 1790, work_accident=True),
        ADULT,
        (1790, 1790, 1690, 100, 0, 100),
        ("work_accident",),
        ("Franchise médicale de 1,00 €",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_regime_example(case: Case) -> None:
    b = compute(case.care, case.benef, case.formula)
    t = b.totals
    got = (
        t.real_cost_cents,
        t.base_cents,
        t.social_security_cents,
        t.deductibles_cents,
        t.mutual_cents,
        t.out_of_pocket_cents,
    )
    assert got == case.expected, case.source
    assert tuple(b.situations) == case.situations
    text = plain(" ".join([line.explanation for line in b.lines] + b.notes))
    for fragment in case.says:
        assert fragment in text, f"{fragment!r} not in {text!r}"


@pytest.mark.parametrize(
    ("benef", "what"),
    [(C2S, "Complémentaire santé solidaire (C2S)"), (AME, "Aide médicale de l'État (AME)")],
)
def test_no_extra_fees_for_c2s_or_ame(benef: BeneficiaryFacts, what: str) -> None:
    with pytest.raises(InvalidCareError) as info:
        compute(care("G", 4500, sector=2, optam=False), benef, "equilibre")
    assert info.value.code == "extra_fees_not_allowed"
    assert info.value.field == "price_cents"
    message = plain(info.value.message_fr)
    assert "45,00 € dépasse le tarif de la Sécurité sociale (30,00 €)" in message
    assert what in message


def test_ald_related_needs_an_ald_in_force() -> None:
    for benef in (ADULT, ALD_ENDED):
        with pytest.raises(InvalidCareError) as info:
            compute(care("G", 3000, ald_related=True), benef, "equilibre")
        assert info.value.code == "ald_not_in_force"
        assert info.value.field == "ald_related"
        assert "Ce soin est lié à votre ALD" in info.value.message_fr


def test_maternity_period_from_the_declaration() -> None:
    by_start = Pregnancy(start_date=date(2025, 9, 10))
    by_expected = Pregnancy(expected_birth_date=date(2026, 6, 10))
    assert (
        by_start.maternity_period()
        == by_expected.maternity_period()
        == Period(start=date(2026, 2, 10), end=date(2026, 6, 22))
    )
    born = Pregnancy(expected_birth_date=date(2026, 6, 10), birth_date=date(2026, 6, 20))
    assert born.maternity_period().end == date(2026, 7, 2)


def test_facts_round_trip_as_stored() -> None:
    benef = facts(
        regime="alsace_moselle",
        ald=(DIABETES,),
        c2s=(Period(start=date(2025, 1, 1), end=date(2025, 12, 31)),),
        pregnancies=(Pregnancy(expected_birth_date=date(2026, 6, 10)),),
    )
    stored = benef.model_dump(mode="json")
    assert BeneficiaryFacts.model_validate(stored) == benef
    assert stored["situation"]["ald"][0] == {
        "start": "2024-01-01",
        "end": None,
        "label": "Diabète de type 2",
    }


def test_former_exemptions_mean_the_same_as_dated_situations() -> None:
    legacy = BeneficiaryFacts(id="B1", birth_date=BORN, exemptions=frozenset({"c2s"}))
    dated = facts(c2s=(Period(start=date(2020, 1, 1)),))
    for code, price in (("G", 3000), ("PH7", 1500), ("FJ", 6900), ("OPT-A", 9500)):
        qty = 3 if code in ("PH7", "FJ") else 1
        c = care(code, price, date(2026, 3, 10), quantity=qty)
        assert compute(c, legacy, "equilibre") == compute(c, dated, "equilibre")
