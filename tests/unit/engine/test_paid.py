"""A payment the management system made is rebuilt into what it consumed from its act and its
figures alone: the same PastCare the engine itself would have stored, for every act and
formula, so that later estimates count it exactly."""

from datetime import date

from engine import BeneficiaryFacts, CareInput, compute, list_acts, list_formulas
from engine.errors import EngineError
from engine.paid import past_care_of_payment

DAY = date(2026, 6, 10)


def test_every_act_of_every_formula_consumes_what_the_engine_would_have_stored():
    benef = BeneficiaryFacts(id="B01", birth_date=date(1980, 1, 1))
    checked = 0
    for formula in list_formulas(DAY):
        for act in list_acts(DAY):
            price = act.base_cents * 2 if act.base_cents else 12000
            for sector, optam in ((1, True), (2, False)):
                try:
                    breakdown = compute(CareInput(
                        act_code=act.code, care_date=DAY, price_cents=price, sector=sector,
                        optam=optam, care_pathway=True), benef, formula_id=formula.id)
                except EngineError:
                    continue
                t, c = breakdown.totals, breakdown.consumption
                rebuilt = past_care_of_payment(
                    beneficiary_id="B01", act_code=act.code, care_date=DAY,
                    formula_id=formula.id, quantity=1, base_cents=t.base_cents,
                    social_security_cents=t.social_security_cents,
                    deductibles_cents=t.deductibles_cents, mutual_cents=t.mutual_cents,
                    participation_cents=c.participation_cents,
                    franchise_cents=c.franchise_cents)
                assert rebuilt == breakdown.to_past(), (formula.id, act.code, sector)
                checked += 1
    assert checked > 300


def test_an_unknown_act_still_counts_its_deductibles():
    past = past_care_of_payment(beneficiary_id="B01", act_code="ZZZ", care_date=DAY,
                                formula_id="equilibre", quantity=1, base_cents=0,
                                social_security_cents=0, deductibles_cents=200, mutual_cents=0,
                                participation_cents=200, franchise_cents=0)
    assert past.participation_cents == 200 and past.forfait_cents == 0
