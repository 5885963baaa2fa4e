"""The procuration's pure rules: what a trusted person may reach, the end date, the code, and
the status as of now."""

from datetime import date, timedelta

import pytest

from domain import procurations as p
from infra.local import template
from shared.errors import Unprocessable


def test_never_the_members_own_settings_nor_money_whatever_the_scope():
    for scope in ("read", "act"):
        for key in ("GET /members/me", "GET /members/profile", "POST /members/password",
                    "GET /members/passkeys", "POST /members/passkeys/options",
                    "POST /members/passkeys/{id}/delete", "GET /members/me/sessions",
                    "GET /members/me/accesses", "POST /members/procurations",
                    "POST /members/me/exports", "POST /contract/bank-details",
                    "POST /contract/iban-checks", "POST /contract/payments",
                    "GET /contract/payments/{payment_id}",
                    "GET /support/advisor/queue"):
            assert not p.allowed(scope, key), (scope, key)


def test_read_is_reading_and_act_adds_what_is_sent():
    files = {"POST /claims/statements/exports", "POST /contract/card/exports"}
    assert all(key.startswith("GET ") for key in p.READ_ROUTES - files)
    assert all(p.allowed("read", key) for key in files)  # her statements, her card: readings
    assert p.allowed("read", "GET /claims/{claim_id}")
    assert not p.allowed("read", "POST /support/threads")
    assert p.allowed("act", "POST /support/threads")
    assert p.allowed("act", "POST /support/requests/reimbursement")
    assert p.allowed("act", "POST /support/callbacks")


def test_every_listed_route_exists():
    keys = {r.route_key for r in template.routes()}
    assert keys >= p.ACT_ROUTES, sorted(p.ACT_ROUTES - keys)


def test_the_end_date_is_after_today_and_within_twelve_months():
    today = date(2026, 3, 31)
    p.check_until(today + timedelta(days=1), today)
    p.check_until(date(2027, 3, 31), today)
    for bad in (today, today - timedelta(days=1), date(2027, 4, 1)):
        with pytest.raises(Unprocessable):
            p.check_until(bad, today)


def test_the_code_has_no_ambiguous_character_and_only_its_hash_is_kept():
    code, stored = p.new_code()
    assert len(code) == 8 and not set(code) & set("0O1IL")
    assert code not in str(stored) and stored["attempts_left"] == 5
    assert p.normalized(f" {code[:4].lower()}-{code[4:]} ") == code


def test_past_its_last_day_it_is_ended_at_once():
    item = p.Procuration(id="P20260101T000000-00000000", principal_id="1",
                         principal_name="Fatima L.", grantee_first_name="Marc",
                         grantee_last_name="Lambert", grantee_email="m@example.fr",
                         scope="read", until=date(2026, 6, 30), status="active",
                         created_at="2026-01-01T01:00:00+01:00")
    assert p.effective(item, date(2026, 6, 30), 0) == ("active", None)
    assert p.effective(item, date(2026, 7, 1), 0) == ("ended", "expired")
    invited = item.model_copy(update={"status": "invited", "invitation_expires_at": 100})
    assert p.effective(invited, date(2026, 6, 1), 99)[0] == "invited"
    assert p.effective(invited, date(2026, 6, 1), 100) == ("ended", "invitation_expired")
    assert p.by_label({"name": "Marc L.", "for": "Fatima L."}) == "par Marc L. pour Fatima L."
