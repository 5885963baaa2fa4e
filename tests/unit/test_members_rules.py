"""What a member types about herself: French postcodes and phones, addresses, codes; and the
one-time codes themselves (hashed, single use, 5 tries, 15 minutes)."""

import pytest

from members.logic import codes
from members.rules import (
    email_address,
    french_phone,
    french_postcode,
    is_mobile,
    masked_email,
    member_number,
    one_time_code,
)
from shared import attempts


@pytest.mark.parametrize("code", ["01000", "20000", "69003", "75116", "95880", "97400",
                                  "97600", "98000", "98714", "98800"])
def test_french_postcodes(code):
    assert french_postcode(code) == code


@pytest.mark.parametrize("code", ["00000", "00999", "96000", "99999", "97900", "98100",
                                  "98900", "7500", "750001", "75OO1", ""])
def test_postcodes_that_do_not_exist(code):
    with pytest.raises(ValueError):
        french_postcode(code)


@pytest.mark.parametrize(("typed", "stored"), [
    ("0612345678", "06 12 34 56 78"), ("06.12.34.56.78", "06 12 34 56 78"),
    ("+33 6 12 34 56 78", "06 12 34 56 78"), ("0033 1 23 45 67 89", "01 23 45 67 89"),
    ("+33 (0)6 12 34 56 78", "06 12 34 56 78"), ("09-87-65-43-21", "09 87 65 43 21"),
    ("+262 692 12 34 56", "06 92 12 34 56"), ("+596 596 12 34 56", "05 96 12 34 56"),
    ("08 00 12 34 56", None), ("+44 20 7946 0958", None), ("06 12 34 56", None),
    ("0612345678 9", None), ("00 33 6 12 34 56 78", "06 12 34 56 78"),
])
def test_french_phones(typed, stored):
    if stored is None:
        with pytest.raises(ValueError):
            french_phone(typed)
    else:
        assert french_phone(typed) == stored


def test_mobiles_are_06_and_07():
    assert is_mobile("06 12 34 56 78") and is_mobile("07 12 34 56 78")
    assert not is_mobile("01 23 45 67 89") and not is_mobile(None)


def test_addresses_codes_and_numbers():
    assert email_address("  Fatima.L@Example.FR ") == "fatima.l@example.fr"
    for bad in ("fatima", "fatima@", "@example.fr", "a b@example.fr", "a@example.f",
                "a..b@example.fr"):
        with pytest.raises(ValueError):
            email_address(bad)
    assert member_number("2024 001 871") == "2024001871"
    with pytest.raises(ValueError):
        member_number("20240018710000")
    assert one_time_code("123 456") == "123456"
    with pytest.raises(ValueError):
        one_time_code("12345a")
    assert masked_email("fatima.l@example.fr") == "f•••@example.fr"


@pytest.mark.dated
def test_a_code_is_stored_hashed_and_checked(monkeypatch):
    tries = []

    def take_attempt(pk, sk, code_hash):  # the table's conditional decrement
        tries.append(code_hash)
        return 5 - len(tries)

    monkeypatch.setattr(codes.repository, "take_attempt", take_attempt)
    code, stored = codes.new_code()
    stored = {**stored, "pk": "MEMBER#1", "sk": "FILE#EMAIL_CHANGE"}
    assert len(code) == 6 and code.isdigit() and code != "000000"
    assert code not in str(stored)
    assert stored["attempts_left"] == 5
    assert codes.check(stored, code).verdict == "ok"
    wrong = codes.check(stored, f"{(int(code) + 1) % 10**6:06d}")
    assert (wrong.verdict, wrong.attempts_left) == ("wrong", 3)
    assert codes.check(stored, "000000").verdict == "wrong"
    assert len(tries) == 3  # every try used one, the right one too
    assert codes.check({**stored, "attempts_left": 0}, code).verdict == "exhausted"
    assert codes.check(stored, code, now=stored["expires_at"]).verdict == "expired"
    assert codes.check({**stored, "state": "used"}, code).verdict == "used"
    assert codes.check(None, code).verdict == "none"


def test_two_codes_never_share_a_hash():
    (_, first), (_, second) = codes.new_code(), codes.new_code()
    assert first["salt"] != second["salt"] and first["code_hash"] != second["code_hash"]
    assert first["state"] != second["state"]


def test_waits_are_said_in_minutes():
    assert attempts.in_minutes(30) == "1 minute"
    assert attempts.in_minutes(61) == "2 minutes"
    assert attempts.in_minutes(3600) == "60 minutes"
