"""When a member's cover has ended, her space closes the next day (Paris), except for her
documents, statements and data export, for five years after the end date."""

from datetime import date

import pytest

from domain.access import OPEN_AFTER_END, closed_on, ended_on, ensure_allowed, readable_until
from domain.membership import Contract
from shared.errors import Forbidden


def contract(start: str, end: str | None, cid: str = "CT1") -> Contract:
    return Contract(id=cid, formula_id="equilibre", formula_label="Équilibre",
                    start_date=date.fromisoformat(start),
                    end_date=date.fromisoformat(end) if end else None)


def test_the_end_date_itself_is_still_covered_the_next_day_is_not():
    ended = [contract("2020-01-01", "2026-12-31")]
    end = ended_on(ended)
    assert end == date(2026, 12, 31)
    assert not closed_on(end, date(2026, 12, 31))
    assert closed_on(end, date(2027, 1, 1))
    ensure_allowed(ended, "GET /claims", date(2026, 12, 31))
    with pytest.raises(Forbidden) as refused:
        ensure_allowed(ended, "GET /claims", date(2027, 1, 1))
    assert refused.value.code == "contract_ended"
    assert "31 décembre 2026" in refused.value.message
    assert "documents" in refused.value.message and "31 décembre 2031" in refused.value.message


def test_one_contract_still_running_keeps_everything_open():
    both = [contract("2018-01-01", "2019-12-31", "CT0"), contract("2020-01-01", None)]
    assert ended_on(both) is None
    ensure_allowed(both, "GET /claims", date(2030, 1, 1))
    assert ended_on([]) is None


def test_documents_statements_and_export_stay_readable_for_five_years():
    ended = [contract("2020-01-01", "2026-12-31")]
    assert readable_until(date(2026, 12, 31)) == date(2031, 12, 31)
    assert readable_until(date(2024, 2, 29)) == date(2029, 2, 28)
    for route in ("GET /documents", "GET /documents/{document_id}/link",
                  "GET /claims/statements", "POST /claims/statements/exports",
                  "POST /members/me/exports", "GET /members/me/exports/{export_id}/link"):
        assert route in OPEN_AFTER_END
        ensure_allowed(ended, route, date(2027, 1, 1))
        ensure_allowed(ended, route, date(2031, 12, 31))
        with pytest.raises(Forbidden) as expired:
            ensure_allowed(ended, route, date(2032, 1, 1))
        assert expired.value.code == "access_expired"
    for route in ("POST /support/requests/other", "GET /contract", "PUT /members/profile",
                  "POST /claims/{claim_id}/dispute"):
        with pytest.raises(Forbidden):
            ensure_allowed(ended, route, date(2027, 1, 1))


def test_every_route_left_open_is_a_route_of_the_template():
    from infra.local import template

    keys = {r.route_key for r in template.routes()}
    assert not OPEN_AFTER_END - keys, OPEN_AFTER_END - keys
