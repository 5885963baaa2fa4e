"""« Mes infos perso »: her contact details with optimistic locking and an audit entry, strict
French checks, a new email address through a code sent there (wrong, expired, reused, too many
tries, an address already taken), a new password (the old one asked, every session closed)."""

from datetime import timedelta

import pytest

from shared import clock
from tests.helpers import idempotency
from tests.integration.account_helpers import (
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

PREFS = {"news": {"email": False, "sms": False, "post": False},
         "reimbursements": {"email": True, "sms": False, "post": False}}
ADDRESS = {"line1": "5 avenue Jean Jaurès", "postcode": "69007", "city": "Lyon"}


@pytest.fixture
def member(api):
    info = new_member(api)
    info["as"] = caller_of(api, info)
    return info


def call(api, who, method, path, body=None, headers=None):
    return api.call(method, path, body=body, claims=who["as"]["claims"],
                    headers={**who["as"]["headers"], **(headers or {})})


def profile_body(current, **changes):
    body = {"version": current["version"], "address": ADDRESS, "phone": "06 98 76 54 32",
            "preferences": PREFS}
    body.update(changes)
    return body


# ------------------------------------------------------------------ reading and editing
def test_fatima_reads_her_profile(api):
    r = api.get("/members/profile")
    assert r.status == 200, r.body
    assert r.body["email"] == "fatima.l@example.fr"
    assert r.body["address"] == {"line1": "14 rue des Capucins", "line2": None,
                                 "postcode": "69001", "city": "Lyon", "country": "France"}
    assert r.body["phone"] == "06 12 34 56 78"
    assert r.body["preferences"]["news"]["email"] is True
    assert r.body["version"] >= 1 and r.body["pending_email"] is None
    assert r.headers["Cache-Control"] == "no-store"


def test_a_change_is_written_once_with_its_audit_entry(api, member):
    current = call(api, member, "GET", "/members/profile").body
    r = call(api, member, "PUT", "/members/profile",
             profile_body(current, phone="+33 7 11 22 33 44"))
    assert r.status == 200, r.body
    assert r.body["phone"] == "07 11 22 33 44"
    assert r.body["address"]["city"] == "Lyon" and r.body["version"] == current["version"] + 1
    again = call(api, member, "GET", "/members/profile").body
    assert again == r.body
    entries = [i for i in table(api).query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :a)",
        ExpressionAttributeValues={":pk": f"MEMBER#{member['member_id']}",
                                   ":a": "AUDIT#"})["Items"]]
    assert [e["action"] for e in entries] == ["profile_changed"]
    assert entries[0]["detail"] == "adresse postale, téléphone"
    assert entries[0]["who"] == "Léa Test" and entries[0]["origin"]["ip"]
    # The same details again: nothing to write, no new version, no new entry.
    same = call(api, member, "PUT", "/members/profile",
                profile_body(r.body, phone="07 11 22 33 44"))
    assert same.status == 200 and same.body["version"] == r.body["version"]
    assert audit_actions(api, member["member_id"]) == ["profile_changed"]


def test_a_stale_version_changes_nothing(api, member):
    current = call(api, member, "GET", "/members/profile").body
    first = call(api, member, "PUT", "/members/profile", profile_body(current))
    assert first.status == 200
    # Another tab still holds the version read before: refused, nothing written.
    stale = call(api, member, "PUT", "/members/profile",
                 profile_body(current, phone="01 23 45 67 89"))
    assert stale.status == 409, stale.body
    assert stale.body["code"] == "stale_version"
    assert stale.body["message"].startswith("Vos informations ont été modifiées entre-temps")
    now = call(api, member, "GET", "/members/profile").body
    assert now == first.body
    assert audit_actions(api, member["member_id"]) == ["profile_changed"]


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"address": {**ADDRESS, "postcode": "00000"}}, "address.postcode", "n'existe pas"),
    ({"address": {**ADDRESS, "postcode": "96100"}}, "address.postcode", "n'existe pas"),
    ({"address": {**ADDRESS, "postcode": "7500"}}, "address.postcode", "5 chiffres"),
    ({"address": {**ADDRESS, "line1": "x" * 39}}, "address.line1", "trop long"),
    ({"address": {**ADDRESS, "line1": "   "}}, "address.line1", "obligatoire"),
    ({"address": {**ADDRESS, "city": "Lyon\u0000"}}, "address.city", "non autorisés"),
    ({"phone": "12 34"}, "phone", "numéro français"),
    ({"phone": "08 00 12 34 56"}, "phone", "numéro français"),
    ({"phone": "06" * 11}, "phone", "trop long"),
    ({"preferences": {"news": {"email": True}, "reimbursements": PREFS["reimbursements"]}},
     "preferences.news.sms", "obligatoire"),
    ({"version": "2"}, "version", "entier"),
    ({"nickname": "Fafa"}, "nickname", "non attendu"),
])
def test_bad_fields_are_refused_in_french_and_change_nothing(api, change, field, words):
    before = api.get("/members/profile").body
    r = api.call("PUT", "/members/profile", body=profile_body(before, **change))
    assert r.status == 400, r.body
    assert words in r.body["fields"][field], r.body
    assert r.body["message"].startswith("Certaines informations sont invalides")
    assert api.get("/members/profile").body == before


def test_sms_needs_a_mobile_number(api, member):
    current = call(api, member, "GET", "/members/profile").body
    prefs = {**PREFS, "reimbursements": {"email": True, "sms": True, "post": False}}
    r = call(api, member, "PUT", "/members/profile",
             profile_body(current, phone="04 78 12 34 56", preferences=prefs))
    assert r.status == 422 and r.body["fields"]["phone"].startswith("numéro de portable")
    ok = call(api, member, "PUT", "/members/profile",
              profile_body(current, phone="0612345678", preferences=prefs))
    assert ok.status == 200 and ok.body["preferences"]["reimbursements"]["sms"] is True


def test_an_advisor_has_no_profile_here(api):
    assert api.get("/members/profile", user="conseiller@example.fr").status == 403


# ------------------------------------------------------------------ a new email address
def start(api, who, email, password=None):
    return call(api, who, "POST", "/members/email-changes",
                {"email": email, "password": password or who["password"]}, idempotency())


def confirm(api, who, code):
    return call(api, who, "POST", "/members/email-changes/confirm", {"code": code})


def test_a_new_address_is_confirmed_by_the_code_sent_there(api, member):
    new = f"nouvelle.{member['member_id']}@example.fr"
    r = start(api, member, new.upper())
    assert r.status == 201, r.body
    assert r.body["email"] == new
    mail = mails_to(new)[0]
    assert mail["subject"] == "Confirmez votre nouvelle adresse e-mail"
    code = code_from(mail)
    stored = item(api, f"MEMBER#{member['member_id']}", "FILE#EMAIL_CHANGE")
    assert code not in str(stored) and stored["code_hash"]  # only a hash is kept
    assert call(api, member, "GET", "/members/profile").body["pending_email"]["email"] == new

    done = confirm(api, member, f"{code[:3]} {code[3:]}")
    assert done.status == 200, done.body
    assert done.body["email"] == new and done.body["pending_email"] is None
    # Cognito signs her in with the new address (verified), no more with the old one.
    assert sign_in(api, new, member["password"]) is not None
    assert sign_in(api, member["email"], member["password"]) is None
    user = idp().admin_get_user(UserPoolId=api.resources.user_pool_id, Username=new)
    attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attrs["email_verified"] == "true"
    # The old address is told, the trail has it, and the code cannot serve twice.
    notice = mails_to(member["email"])[0]
    assert notice["subject"] == "Votre adresse e-mail a été changée"
    assert "n•••@example.fr" in notice["body"]
    assert audit_actions(api, member["member_id"]) == ["email_changed"]
    again = confirm(api, member, code)
    assert again.status == 422 and again.body["code"] == "code_used"
    assert "déjà servi" in again.body["message"]


def test_a_wrong_code_counts_down_then_the_code_is_dead(api, member):
    new = f"essais.{member['member_id']}@example.fr"
    assert start(api, member, new).status == 201
    code = last_code(new)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        r = confirm(api, member, wrong)
        assert r.status == 422 and r.body["code"] == "wrong_code"
        assert r.body["message"] == (f"Ce code n'est pas le bon. Il vous reste {left} essai"
                                     f"{'s' if left > 1 else ''}.")
    last = confirm(api, member, wrong)
    assert last.status == 422 and last.body["code"] == "code_exhausted"
    # Even the right code no longer works: she asks for a new one.
    dead = confirm(api, member, code)
    assert dead.status == 422 and dead.body["code"] == "code_exhausted"
    assert call(api, member, "GET", "/members/profile").body["email"] == member["email"]


def test_an_expired_code_changes_nothing(api, member):
    new = f"tard.{member['member_id']}@example.fr"
    assert start(api, member, new).status == 201
    code = last_code(new)
    table(api).update_item(Key={"pk": f"MEMBER#{member['member_id']}",
                                "sk": "FILE#EMAIL_CHANGE"},
                           UpdateExpression="SET expires_at = :t",
                           ExpressionAttributeValues={":t": clock.epoch() - 1})
    r = confirm(api, member, code)
    assert r.status == 422 and r.body["code"] == "code_expired"
    assert "a expiré" in r.body["message"]
    assert call(api, member, "GET", "/members/profile").body["email"] == member["email"]
    assert sign_in(api, new, member["password"]) is None


def test_without_a_pending_change_a_code_means_nothing(api, member):
    r = confirm(api, member, "123456")
    assert r.status == 422 and r.body["code"] == "no_pending_code"


def test_an_address_of_another_account_gets_no_code_and_the_answer_says_nothing(api, member):
    taken = "paul.m@example.fr"
    before = count_to(taken)
    r = start(api, member, taken)
    assert r.status == 201 and r.body["email"] == taken  # the same answer as any address
    mail = mails_to(taken)[0]
    assert count_to(taken) == before + 1
    assert mail["subject"] == "Votre adresse e-mail est déjà utilisée"
    assert not __import__("re").search(r"^\s+\d{6}\s*$", mail["body"], __import__("re").M)
    assert call(api, member, "GET", "/members/profile").body["pending_email"]["email"] == taken
    # No code can confirm it: Paul's sign-in address stays his.
    assert confirm(api, member, "000000").status == 422


def test_the_same_address_or_a_malformed_one_is_refused(api, member):
    same = start(api, member, member["email"])
    assert same.status == 422 and same.body["fields"]["email"] == "c'est déjà votre adresse"
    bad = start(api, member, "pas-une-adresse")
    assert bad.status == 400 and "nom@exemple.fr" in bad.body["fields"]["email"]


def test_codes_to_new_addresses_are_limited(api, member):
    for n in range(5):
        assert start(api, member, f"n{n}.{member['member_id']}@example.fr").status == 201
    r = start(api, member, f"n6.{member['member_id']}@example.fr")
    assert r.status == 429, r.body
    assert int(r.headers["Retry-After"]) > 0
    assert r.body["message"].startswith("Vous avez demandé beaucoup de codes")
    assert "réessayez dans" in r.body["message"]
    assert count_to(f"n6.{member['member_id']}@example.fr") == 0


# ------------------------------------------------------------------ a new password
def change(api, who, current, new):
    return call(api, who, "POST", "/members/password",
                {"current_password": current, "new_password": new})


def test_a_new_password_needs_the_current_one(api, member):
    r = change(api, member, "Pas-le-bon-2026!", "Nouveau-Secret-2026!")
    assert r.status == 422 and r.body["fields"]["current_password"] == "mot de passe incorrect"
    assert sign_in(api, member["email"], member["password"]) is not None
    short = change(api, member, member["password"], "court")
    assert short.status == 400 and "new_password" in short.body["fields"]
    same = change(api, member, member["password"], member["password"])
    assert same.status == 422 and same.body["code"] == "same_password"
    assert "password_changed" not in audit_actions(api, member["member_id"])


def test_she_signs_in_again_at_once_with_her_new_password(api, member):
    """Sessions started until the change are refused; one she starts as soon as the change
    is answered is not, even within the second of the change (tokens tell their time to the
    second). Started at the very beginning of a second, so that the change and the new sign-in
    would share it."""
    import time_machine

    from tests.integration.account_helpers import as_caller

    start = clock.now().replace(microsecond=0) + timedelta(seconds=2)
    with time_machine.travel(start, tick=True):
        r = change(api, member, member["password"], "Nouveau-Secret-2026!")
        assert r.status == 200, r.body
        again = as_caller(sign_in(api, member["email"], "Nouveau-Secret-2026!"))
        assert api.call("GET", "/members/profile", claims=again["claims"],
                        headers=again["headers"]).status == 200
        assert api.call("GET", "/members/profile", claims=member["as"]["claims"],
                        headers=member["as"]["headers"]).status == 401


def test_a_new_password_closes_every_session(api, member):
    other_device = caller_of(api, member)
    r = change(api, member, member["password"], "Nouveau-Secret-2026!")
    assert r.status == 200, r.body
    assert r.body["signed_out_everywhere"] is True
    assert sign_in(api, member["email"], member["password"]) is None
    assert sign_in(api, member["email"], "Nouveau-Secret-2026!") is not None
    # Both sessions' tokens are refused at once (API side) and cannot be renewed.
    for who in (member["as"], other_device):
        assert api.call("GET", "/members/profile", claims=who["claims"],
                        headers=who["headers"]).status == 401
    assert audit_actions(api, member["member_id"]) == ["password_changed"]
    assert mails_to(member["email"])[0]["subject"] == "Votre mot de passe a été changé"
