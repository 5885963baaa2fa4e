"""Invariants that hold for any valid care, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from domain.situation import Ald, Period, Pregnancy, Situation
from engine import (
    BeneficiaryFacts,
    CareInput,
    History,
    InvalidCareError,
    PastCare,
    compute,
    load_rules,
)
from engine.rules import pick
from shared.dates import age_on

RULES = load_rules()
START = RULES.acts.rules_start
END = date(2027, 6, 30)
FORMULAS = [f.id for f in RULES.formulas.formulas]
FORFAIT_KEYS = ["optics", "hearing", "alternative_medicine"]


@st.composite
def periods(draw, around: date) -> Period:
    start = draw(st.dates(min_value=around - timedelta(days=800), max_value=around + timedelta(30)))
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=900)))
    return Period(start=start, end=None if length is None else start + timedelta(days=length))


@st.composite
def situations(draw, around: date) -> Situation:
    """Any regime and situations, each sometimes in force on ``around``."""
    alds = draw(st.lists(periods(around), max_size=2))
    return Situation(
        regime=draw(st.sampled_from(["general", "alsace_moselle"])),
        ald=tuple(Ald(start=p.start, end=p.end, label="Diabète de type 2") for p in alds),
        c2s=tuple(draw(st.lists(periods(around), max_size=1))),
        ame=tuple(draw(st.lists(periods(around), max_size=1))),
        pregnancies=tuple(
            draw(
                st.lists(
                    st.builds(
                        Pregnancy,
                        expected_birth_date=st.dates(
                            min_value=around - timedelta(days=60),
                            max_value=around + timedelta(days=200),
                        ),
                    ),
                    max_size=1,
                )
            )
        ),
    )


@st.composite
def scenarios(draw):
    act = draw(st.sampled_from(RULES.acts.acts))
    first = max(START, min(v.valid_from for v in act.versions))
    care_date = draw(st.dates(min_value=first, max_value=END))
    if pick(act.versions, care_date) is None:
        care_date = first
    price = draw(
        st.one_of(
            st.integers(min_value=1, max_value=20_000),
            st.integers(min_value=1, max_value=RULES.acts.max_price_cents),
        )
    )
    situation = draw(situations(care_date))
    care = CareInput(
        act_code=act.code,
        care_date=care_date,
        price_cents=price,
        quantity=draw(st.integers(min_value=1, max_value=act.max_quantity)),
        sector=draw(st.sampled_from([None, 1, 2])),
        optam=draw(st.sampled_from([None, True, False])),
        care_pathway=draw(st.booleans()),
        practitioner_id=draw(st.sampled_from([None, "DR1", "DR2"])),
        ald_related=bool(situation.ald_on(care_date)) and draw(st.booleans()),
        work_accident=draw(st.booleans()) and draw(st.booleans()),
        sight_change=draw(st.booleans()),
        frame_misfit=draw(st.booleans()),
    )
    benef = BeneficiaryFacts(
        id="B1",
        birth_date=draw(st.dates(min_value=date(1930, 1, 1), max_value=care_date)),
        exemptions=draw(st.frozensets(st.sampled_from(["c2s", "ame", "pregnancy"]), max_size=1)),
        situation=situation,
    )
    past = draw(
        st.lists(
            st.builds(
                PastCare,
                beneficiary_id=st.just("B1"),
                care_date=st.dates(min_value=care_date - timedelta(days=1500), max_value=care_date),
                act_code=st.just("G"),
                practitioner_id=st.sampled_from([None, "DR1", "DR2"]),
                participation_cents=st.integers(min_value=0, max_value=400),
                franchise_cents=st.integers(min_value=0, max_value=800),
                franchise_kind=st.sampled_from([None, "box", "paramedical", "transport"]),
                forfait_key=st.sampled_from([None, *FORFAIT_KEYS]),
                forfait_cents=st.integers(min_value=0, max_value=100_000),
                renewal=st.sampled_from([None, "optics", "hearing"]),
            ),
            max_size=30,
        )
    )
    history = History.from_past(past, beneficiary_id="B1", on=care_date)
    return care, benef, draw(st.sampled_from(FORMULAS)), history, past


@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(scenarios())
def test_invariants(scenario) -> None:
    care, benef, formula, history, _ = scenario
    try:
        b = compute(care, benef, formula, history)
    except InvalidCareError as error:
        # The only refusal left: extra fees billed to a C2S or AME beneficiary.
        assert error.code == "extra_fees_not_allowed" and error.field == "price_cents"
        assert {"c2s", "ame"} & (
            set(benef.exemptions)
            | {
                c
                for c in ("c2s", "ame")
                if any(p.covers(care.care_date) for p in getattr(benef.situation, c))
            }
        )
        assume(False)
    t = b.totals
    amounts = [line.amount_cents for line in b.lines]

    # Every figure is an integer number of cents (never bool, float or Decimal).
    for value in [*amounts, *t.model_dump().values()]:
        assert type(value) is int
    assert amounts == [
        t.real_cost_cents,
        t.base_cents,
        t.social_security_cents,
        t.deductibles_cents,
        t.mutual_cents,
        t.out_of_pocket_cents,
    ]

    assert t.real_cost_cents == care.price_cents
    assert 0 <= t.base_cents <= t.real_cost_cents
    assert t.social_security_cents >= 0 and t.mutual_cents >= 0
    assert t.social_security_cents + t.mutual_cents <= t.real_cost_cents
    assert t.out_of_pocket_cents >= 0
    assert t.real_cost_cents == t.social_security_cents + t.mutual_cents + t.out_of_pocket_cents
    # The mutuelle never pays the participation forfaitaire nor the franchises.
    assert t.out_of_pocket_cents >= t.deductibles_cents
    assert t.ticket_moderateur_cents == max(
        0, t.base_cents - t.social_security_cents - t.deductibles_cents
    )
    c = b.consumption
    assert c.participation_cents + c.franchise_cents == t.deductibles_cents
    assert 0 <= c.forfait_cents <= t.mutual_cents

    # Yearly €50 caps are never exceeded.
    year = history.year(care.care_date.year)
    assert year.participation_cents + c.participation_cents <= max(5000, year.participation_cents)
    assert year.franchise_cents + c.franchise_cents <= max(5000, year.franchise_cents)
    # Exempted beneficiaries (maternity, newborn, C2S, AME) pay neither; an ALD or a work
    # accident does not exempt (L432-1). A child not yet 18 on 1 January pays no participation
    # that year (R160-20), nor franchises before her 18th birthday.
    exempt = {"maternity", "newborn", "c2s", "ame"}
    if exempt & set(b.situations):
        assert t.deductibles_cents == 0
    if age_on(benef.birth_date, date(care.care_date.year, 1, 1)) < 18:
        assert c.participation_cents == 0
    if age_on(benef.birth_date, care.care_date) < 18:
        assert c.franchise_cents == 0
    if care.ald_related:
        assert "ald" in b.situations

    # Non-OPTAM doctors: Sécurité sociale + mutuelle at most 200 % of the base.
    act = RULES.acts_by_code[care.act_code]
    if act.needs_sector and care.sector == 2 and care.optam is not True and t.mutual_cents:
        ss_gross = t.social_security_cents + t.deductibles_cents
        assert ss_gross + t.mutual_cents <= 2 * t.base_cents

    # Explanations exist for every line and the result is JSON-serialisable.
    assert all(line.explanation for line in b.lines)
    assert type(b).model_validate(b.model_dump(mode="json")) == b


@settings(max_examples=150, deadline=None, database=None)
@given(
    price=st.integers(min_value=1, max_value=3000),
    quantity=st.integers(min_value=1, max_value=2),
    code=st.sampled_from(["OPT-A-MONT", "OPT-A-VERRE", "AUD-1", "HBLD634"]),
    formula=st.sampled_from(FORMULAS),
)
def test_100_sante_has_no_out_of_pocket_within_cap(price, quantity, code, formula) -> None:
    act = RULES.acts_by_code[code]
    quantity = min(quantity, act.max_quantity)
    cap = act.versions[-1].price_cap_cents * quantity
    price = min(cap, price * cap // 3000)
    if price <= 0:
        price = 1
    b = compute(
        CareInput(act_code=code, care_date=date(2026, 3, 2), price_cents=price, quantity=quantity),
        BeneficiaryFacts(id="B1", birth_date=date(1970, 1, 1)),
        formula,
    )
    assert b.totals.out_of_pocket_cents == 0


REGULATED = [
    a
    for a in RULES.acts.acts
    if a.basket != "libre" and any(v.rate_percent > 0 and v.base_cents for v in a.versions)
]


@settings(max_examples=200, deadline=None, database=None)
@given(
    act=st.sampled_from(REGULATED),
    day=st.dates(min_value=date(2024, 1, 1), max_value=END),
    quantity=st.integers(min_value=1, max_value=3),
    formula=st.sampled_from(FORMULAS),
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2020, 1, 1)),
    ame=st.booleans(),
)
def test_c2s_or_ame_never_pays_on_regulated_care(act, day, quantity, formula, birth, ame) -> None:
    """No ticket modérateur, no deductible, no extra fees: billed at the tariff (or within the
    100 % Santé price cap), nothing is left to pay, whatever the formula."""
    version = pick(act.versions, day)
    assume(version is not None and version.rate_percent > 0 and version.base_cents)
    quantity = min(quantity, act.max_quantity)
    period = (Period(start=date(2023, 1, 1)),)
    benef = BeneficiaryFacts(
        id="B1",
        birth_date=birth,
        situation=Situation(ame=period) if ame else Situation(c2s=period),
    )
    age_base = next((a for a in version.age_bases if age_on(birth, day) < a.under_age), None)
    unit = age_base.base_cents if age_base else version.base_cents
    care = CareInput(
        act_code=act.code, care_date=day, price_cents=unit * quantity, quantity=quantity
    )
    b = compute(care, benef, formula)
    assert b.totals.out_of_pocket_cents == 0
    assert b.totals.deductibles_cents == 0


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(scenarios())
def test_same_care_same_history_same_figures(scenario) -> None:
    """Whatever the path: history rebuilt from stored cares or replayed one by one, facts and
    care read back from their stored JSON, the figures are the same."""
    care, benef, formula, history, past = scenario
    try:
        first = compute(care, benef, formula, history)
    except InvalidCareError:
        assume(False)
    replayed = History.empty("B1", on=care.care_date)
    for item in sorted(past, key=lambda p: p.care_date):
        replayed = replayed.add(item)
    assert compute(care, benef, formula, replayed) == first
    again = compute(
        CareInput.model_validate_json(care.model_dump_json()),
        BeneficiaryFacts.model_validate_json(benef.model_dump_json()),
        formula,
        History.model_validate_json(history.model_dump_json()),
    )
    assert again == first
