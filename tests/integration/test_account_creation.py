"""« Je n'ai pas encore de compte » and « Mot de passe oublié », public routes: the first step
answers the same whatever matched (nothing says which part was wrong, nor whether an address
has an account), the code goes to the address on file, codes are single-use with 5 tries and
15 minutes, and attempts are limited per member number and per address (429, Retry-After)."""

import uuid

import pytest

from shared import clock
from tests.helpers import idempotency
from tests.integration.account_helpers import (
    CODE,
    audit_actions,
    caller_of,
    code_from,
    count_to,
    idp,
    item,
    last_code,
    mails_to,
    new_member,
    sign_in,
    table,
)

NEW_PASSWORD = "Mon-Nouveau-Secret-26"


def public(api, path, body, headers=None):
    return api.call("POST", path, body=body, claims={}, headers=headers or {})


def signup(api, number, birth, email):
    return public(api, "/public/accounts", {"member_number": number, "birth_date": birth,
                                            "email": email}, idempotency())


def confirm_signup(api, number, code, password=NEW_PASSWORD):
    return public(api, "/public/accounts/confirm", {"member_number": number, "code": code,
                                                    "password": password})


def reset(api, email):
    return public(api, "/public/password-resets", {"email": email}, idempotency())


def confirm_reset(api, email, code, password=NEW_PASSWORD):
    return public(api, "/public/password-resets/confirm", {"email": email, "code": code,
                                                           "new_password": password})


def answer(r):
    return r.status, r.body, r.headers.get("Content-Type")


# -------------------------------------------------- « Je n'ai pas encore de compte »
def test_claire_creates_her_account_and_signs_in(api):
    claire = api.demo["without_account"]["2025000318"]
    r = signup(api, "2025 000 318", claire["birth_date"], "Claire.D@example.fr")
    assert r.status == 202, r.body
    assert r.body["expires_in_minutes"] == 15
    mail = mails_to(claire["email"])[0]
    assert mail["subject"] == "Votre code pour créer votre espace adhérent"
    assert mail["body"].startswith("Bonjour Claire,")
    code = last_code(claire["email"])

    made = confirm_signup(api, "2025000318", code)
    assert made.status == 201, made.body
    assert made.body["email"] == claire["email"]
    tokens = sign_in(api, claire["email"], NEW_PASSWORD)
    assert tokens is not None
    # Her account is tied to her file: the API knows her.
    from tests.integration.account_helpers import as_caller

    me = api.call("GET", "/members/me", **{"claims": as_caller(tokens)["claims"]})
    assert me.status == 200 and me.body["member_number"] == "2025000318"
    assert me.body["display_name"] == "Claire D."
    link = item(api, "MEMBER#2025000318", "FILE#ACCOUNT")
    assert link and item(api, f"ACCOUNT#{link['sub']}", "ACCOUNT")["member_id"] == "2025000318"
    assert audit_actions(api, "2025000318") == ["account_created"]
    assert mails_to(claire["email"])[0]["subject"] == "Bienvenue dans votre espace adhérent"
    # The code served once; asking again now tells her (by email only) she has an account.
    again = confirm_signup(api, "2025000318", code)
    assert again.status == 422 and again.body["code"] == "invalid_code"
    sent = count_to(claire["email"])
    r = signup(api, "2025000318", claire["birth_date"], claire["email"])
    assert r.status == 202 and count_to(claire["email"]) == sent + 1
    assert mails_to(claire["email"])[0]["subject"] == "Vous avez déjà un espace adhérent"


def test_a_wrong_combination_is_indistinguishable(api):
    hugo = api.demo["without_account"]["2025000529"]
    right = (hugo["member_id"], hugo["birth_date"], hugo["email"])
    cases = {
        "wrong number": ("2025009999", right[1], right[2]),
        "wrong birth date": (right[0], "1995-08-31", right[2]),
        "wrong email": (right[0], right[1], "hugo.garnier@example.fr"),
        "a member with an account": (api.demo["members"]["paul.m@example.fr"]["member_id"],
                                     "1972-11-21", "paul.m@example.fr"),
    }
    answers = {}
    for case, (number, birth, email) in cases.items():
        answers[case] = answer(signup(api, number, birth, email))
        # The typed address is told (only its owner reads it), and no code goes anywhere.
        told = mails_to(email)[0]
        assert not CODE.search(told["body"]), case
        assert item(api, f"MEMBER#{number}", "FILE#SIGNUP") is None, case
    answers["right"] = answer(signup(api, *right))
    assert len(set(map(str, answers.values()))) == 1, answers
    assert code_from(mails_to(hugo["email"])[0])
    # Paul, who has an account, is told so in his own mailbox, nowhere else.
    assert mails_to("paul.m@example.fr")[0]["subject"] == "Vous avez déjà un espace adhérent"
    # And confirming without the code says nothing either.
    for number in ("2025009999", hugo["member_id"]):
        r = confirm_signup(api, number, "123456")
        assert (r.status, r.body["code"]) == (422, "invalid_code")


def test_a_signup_code_has_five_tries_and_fifteen_minutes(api):
    info = new_member(api, account=False)
    number = info["member_id"]
    assert signup(api, number, info["birth"], info["email"]).status == 202
    code = last_code(info["email"])
    wrong = f"{(int(code) + 7) % 10**6:06d}"
    for _ in range(5):
        r = confirm_signup(api, number, wrong)
        assert r.status == 422 and r.body["message"].startswith("Ce code n'est pas valable")
    assert confirm_signup(api, number, code).status == 422  # no tries left
    assert item(api, f"MEMBER#{number}", "FILE#ACCOUNT") is None
    # A new code, expired before use: refused, no account.
    assert signup(api, number, info["birth"], info["email"]).status == 202
    code = last_code(info["email"])
    table(api).update_item(Key={"pk": f"MEMBER#{number}", "sk": "FILE#SIGNUP"},
                           UpdateExpression="SET expires_at = :t",
                           ExpressionAttributeValues={":t": clock.epoch() - 1})
    assert confirm_signup(api, number, code).status == 422
    assert sign_in(api, info["email"], NEW_PASSWORD) is None


def test_the_password_follows_the_policy(api):
    info = new_member(api, account=False)
    assert signup(api, info["member_id"], info["birth"], info["email"]).status == 202
    r = public(api, "/public/accounts/confirm", {"member_number": info["member_id"],
                                                 "code": last_code(info["email"]),
                                                 "password": "court"})
    assert r.status == 400 and "password" in r.body["fields"]
    # The code is still good for a proper password.
    ok = confirm_signup(api, info["member_id"], last_code(info["email"]))
    assert ok.status == 201, ok.body


def test_signup_attempts_are_limited_per_member_number_and_per_address(api):
    number = "2099000001"
    for n in range(5):
        assert signup(api, number, "1980-01-01", f"x{n}@example.fr").status == 202
    r = signup(api, number, "1980-01-01", "x6@example.fr")
    assert r.status == 429, r.body
    assert 0 < int(r.headers["Retry-After"]) <= 3600
    assert "ce numéro d'adhérent" in r.body["message"] and "réessayez dans" in r.body["message"]
    email = f"y{uuid.uuid4().hex[:6]}@example.fr"
    for n in range(5):
        assert signup(api, f"20990001{n:02d}", "1980-01-01", email).status == 202
    r = signup(api, "2099000199", "1980-01-01", email)
    assert r.status == 429 and "cette adresse e-mail" in r.body["message"]


def test_a_double_submit_sends_one_code(api):
    info = new_member(api, account=False)
    key = idempotency()
    body = {"member_number": info["member_id"], "birth_date": info["birth"],
            "email": info["email"]}
    first = public(api, "/public/accounts", body, key)
    second = public(api, "/public/accounts", body, key)
    assert (first.status, second.status) == (202, 202) and first.body == second.body
    assert count_to(info["email"]) == 1


# ------------------------------------------------------------------ « Mot de passe oublié »
def test_a_forgotten_password_is_replaced_with_the_code(api):
    info = new_member(api)
    other_device = caller_of(api, info)
    r = reset(api, info["email"].upper())
    assert r.status == 202, r.body
    assert mails_to(info["email"])[0]["subject"] == (
        "Votre code pour choisir un nouveau mot de passe")
    code = last_code(info["email"])
    done = confirm_reset(api, info["email"], code)
    assert done.status == 200, done.body
    assert sign_in(api, info["email"], NEW_PASSWORD) is not None
    assert sign_in(api, info["email"], info["password"]) is None
    # Every session ended, the trail says so, the owner is told.
    assert api.call("GET", "/members/profile", **other_device).status == 401
    assert audit_actions(api, info["member_id"]) == ["password_reset"]
    assert mails_to(info["email"])[0]["subject"] == "Votre mot de passe a été réinitialisé"
    reused = confirm_reset(api, info["email"], code, "Encore-Un-Autre-2026")
    assert reused.status == 422 and reused.body["code"] == "invalid_code"
    assert sign_in(api, info["email"], NEW_PASSWORD) is not None


def test_an_unknown_address_gets_the_same_answer(api):
    info = new_member(api)
    unknown = f"personne.{uuid.uuid4().hex[:8]}@example.fr"
    known, stranger = answer(reset(api, info["email"])), answer(reset(api, unknown))
    assert known == stranger
    assert count_to(info["email"]) == 1 and code_from(mails_to(info["email"])[0])
    # The unknown address is told that no account signs in with it: no code.
    assert [m["subject"] for m in mails_to(unknown)] == ["Votre demande de nouveau mot de passe"]
    assert not CODE.search(mails_to(unknown)[0]["body"])
    # Confirming for an unknown address fails exactly like a wrong code for a known one.
    wrong = f"{(int(last_code(info['email'])) + 1) % 10**6:06d}"
    assert answer(confirm_reset(api, unknown, wrong)) == answer(
        confirm_reset(api, info["email"], wrong))


def test_a_reset_code_dies_after_five_wrong_tries_or_fifteen_minutes(api):
    info = new_member(api)
    assert reset(api, info["email"]).status == 202
    code = last_code(info["email"])
    wrong = f"{(int(code) + 3) % 10**6:06d}"
    for _ in range(5):
        assert confirm_reset(api, info["email"], wrong).status == 422
    assert confirm_reset(api, info["email"], code).status == 422
    assert reset(api, info["email"]).status == 202
    code = last_code(info["email"])
    key = item(api, *_reset_key(info["email"]))
    table(api).update_item(Key={"pk": key["pk"], "sk": key["sk"]},
                           UpdateExpression="SET expires_at = :t",
                           ExpressionAttributeValues={":t": clock.epoch() - 1})
    assert confirm_reset(api, info["email"], code).status == 422
    assert sign_in(api, info["email"], info["password"]) is not None


def _reset_key(email):
    from members.logic.account import _reset_key as key

    return key(email)


def test_reset_codes_are_limited_per_address(api):
    email = f"limite.{uuid.uuid4().hex[:8]}@example.fr"
    for _ in range(5):
        assert reset(api, email).status == 202
    r = reset(api, email)
    assert r.status == 429 and int(r.headers["Retry-After"]) > 0
    assert "cette adresse" in r.body["message"]


@pytest.mark.parametrize("body", [
    {"email": "pas une adresse"}, {"email": "a@b"}, {"email": "x" * 250 + "@example.fr"},
    {}, {"email": "a@example.fr", "extra": 1},
])
def test_malformed_requests_are_refused_in_french(api, body):
    r = public(api, "/public/password-resets", body, idempotency())
    assert r.status == 400 and r.body["message"].startswith("Certaines informations")


def test_cognito_s_own_forgotten_password_is_closed(api):
    """The pool is admin_only: the browser-side ForgotPassword cannot bypass our flow."""
    with pytest.raises(idp().exceptions.NotAuthorizedException):
        idp().forgot_password(ClientId=api.resources.client_id, Username="paul.m@example.fr")


def _aws_work(api, call) -> list[tuple[str, str]]:
    from tests.helpers import aws_calls

    with aws_calls() as calls:
        call()
    return [(service, operation) for service, operation, _ in calls]


def test_the_answer_time_does_not_tell_whether_an_account_exists(api):
    """Defect 8: a reset took about 100 ms for an address with an account and 40 ms without
    (a code hashed, an item stored and an email sent only for the first). Now the same AWS
    calls are made, in the same order, whatever exists (the code's scrypt is always paid)."""
    info = new_member(api)
    unknown = f"personne.{uuid.uuid4().hex[:8]}@example.fr"
    assert _aws_work(api, lambda: reset(api, info["email"])) == _aws_work(
        api, lambda: reset(api, unknown))
    newcomer = new_member(api, account=False)  # her own: the others' files stay untouched
    paul = api.demo["members"]["paul.m@example.fr"]
    works = {
        "a member without an account": _aws_work(api, lambda: signup(
            api, newcomer["member_id"], newcomer["birth"], newcomer["email"])),
        "a member with one": _aws_work(api, lambda: signup(
            api, paul["member_id"], "1972-11-21", "paul.m@example.fr")),
        "no member": _aws_work(api, lambda: signup(api, "2025009999", "1980-01-01", unknown)),
    }
    assert len({str(w) for w in works.values()}) == 1, works
    assert code_from(mails_to(newcomer["email"])[0])  # her case was the one with a code
