"""Inputs the engine refuses, with a French message saying what to fix."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from engine import (
    ActNotAvailableError,
    BeneficiaryFacts,
    CareDateError,
    CareInput,
    EngineError,
    History,
    InvalidBeneficiaryError,
    InvalidCareError,
    UnknownActError,
    UnknownFormulaError,
    compute,
)
from tests.helpers import plain

ADULT = BeneficiaryFacts(id="B1", birth_date=date(1988, 5, 12))


def run(
    formula: str = "equilibre", benef: BeneficiaryFacts = ADULT, history=None, today=None, **kw
):
    fields = {"act_code": "G", "care_date": date(2026, 3, 2), "price_cents": 3000} | kw
    return compute(CareInput(**fields), benef, formula, history, today=today)


@pytest.mark.parametrize(
    ("kwargs", "error", "code", "field", "fragment"),
    [
        ({"act_code": "XYZ"}, UnknownActError, "unknown_act", "act_code", "n'existe pas"),
        (
            {"care_date": date(2023, 1, 1)},
            CareDateError,
            "care_date_before_rules",
            "care_date",
            "01/12/2023",
        ),
        (
            {"today": date(2026, 3, 1)},
            CareDateError,
            "care_date_in_future",
            "care_date",
            "dans le futur",
        ),
        (
            {"act_code": "GL", "care_date": date(2025, 6, 1)},
            ActNotAvailableError,
            "act_not_available",
            "care_date",
            "qu'à partir du 01/01/2026",
        ),
        ({"price_cents": 0}, InvalidCareError, "invalid_price", "price_cents", "supérieur à 0 €"),
        (
            {"price_cents": -500},
            InvalidCareError,
            "invalid_price",
            "price_cents",
            "supérieur à 0 €",
        ),
        (
            {"price_cents": 10_000_001},
            InvalidCareError,
            "invalid_price",
            "price_cents",
            "trop élevé",
        ),
        ({"quantity": 2}, InvalidCareError, "invalid_quantity", "quantity", "une seule"),
        (
            {"act_code": "FJ", "quantity": 0, "price_cents": 2000},
            InvalidCareError,
            "invalid_quantity",
            "quantity",
            "entre 1 et 365",
        ),
        (
            {"act_code": "FJ", "quantity": 366, "price_cents": 2000},
            InvalidCareError,
            "invalid_quantity",
            "quantity",
            "entre 1 et 365",
        ),
        ({"sector": 3}, InvalidCareError, "invalid_sector", "sector", "secteur"),
        ({"formula": "or"}, UnknownFormulaError, "unknown_formula", "formula_id", "equilibre"),
        (
            {"benef": BeneficiaryFacts(id="B1", birth_date=date(2026, 4, 1))},
            InvalidBeneficiaryError,
            "care_before_birth",
            "care_date",
            "naissance",
        ),
        (
            {"history": History.empty("OTHER")},
            InvalidBeneficiaryError,
            "history_mismatch",
            "beneficiary_id",
            "historique",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_refused(kwargs, error, code, field, fragment) -> None:
    with pytest.raises(error) as info:
        run(**kwargs)
    assert isinstance(info.value, EngineError)
    assert info.value.code == code
    assert info.value.field == field
    assert fragment in plain(info.value.message_fr)
    assert info.value.to_dict()["message"] == info.value.message_fr
    # The formula comes from the contract: not the member's mistake.
    assert info.value.http_status == (500 if error is UnknownFormulaError else 422)
    assert info.value.internal == (error is UnknownFormulaError)


def test_money_must_be_integer_cents() -> None:
    with pytest.raises(ValidationError):
        CareInput(act_code="G", care_date=date(2026, 3, 2), price_cents=30.0)
    with pytest.raises(ValidationError):
        CareInput(act_code="G", care_date=date(2026, 3, 2), price_cents=3000, typo=1)


def test_act_code_is_case_insensitive() -> None:
    assert run(act_code=" g ").act_code == "G"


def test_last_day_of_rules_is_accepted() -> None:
    assert run(care_date=date(2027, 12, 31)).totals.social_security_cents == 1900
    assert run(care_date=date(2023, 12, 1), price_cents=2650).totals.base_cents == 2650
