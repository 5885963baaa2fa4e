"""A trusted person acts for a member (procuration): Fatima invites Marc (an account with no
contract of his own) or Paul, who accepts with the emailed code and acts within the scope she
chose, labelled « par Marc L. pour Fatima L. » everywhere; never beyond, never after the end.
Handlers in-process under moto (tests.helpers.Api)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shared import clock
from tests.helpers import idempotency, sent_mail

OWNER = "fatima.l@example.fr"
PAUL = "paul.m@example.fr"
MARC = "marc.l@example.fr"


def get(api, path: str, **kw):
    path, _, query = path.partition("?")
    return api.call("GET", path, query=query, **kw)


def until(days: int = 30) -> str:
    return (clock.today() + timedelta(days=days)).isoformat()


def invite(api, email=MARC, scope="act", first="Marc", last="Lambert", days=30, user=OWNER):
    r = api.post("/members/procurations", {"first_name": first, "last_name": last,
                                           "email": email, "scope": scope, "until": until(days)},
                 user=user, headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def code_for(invitation_id: str) -> str:
    for mail in sent_mail():
        if invitation_id in mail["body"]:
            return re.search(r"code d'invitation : ([A-Z0-9]{8})", mail["body"]).group(1)
    raise AssertionError("no invitation email")


def active(api, email=MARC, scope="act", user=MARC) -> dict:
    p = invite(api, email=email, scope=scope)
    r = api.post("/members/procurations/accept",
                 {"invitation": p["id"], "code": code_for(p["id"])}, user=user)
    assert r.status == 200, r.body
    return r.body


def acting(p: dict) -> dict:
    return {"X-Act-For": p["id"]}


@pytest.fixture(autouse=True)
def no_open_procurations(api):
    """Each test starts with none of Fatima's open (at most 3 at once)."""
    yield
    for p in api.get("/members/procurations").body["given"]:
        if p["status"] != "ended":
            api.post(f"/members/procurations/{p['id']}/end")


def test_invite_accept_and_act_for_her(api):
    p = invite(api)
    assert p["status"] == "invited" and p["grantee_name"] == "Marc L."
    mail = next(m for m in sent_mail() if p["id"] in m["body"])
    assert mail["to"] == [MARC]
    assert f"/connexion/procuration/?invitation={p['id']}" in mail["body"]
    r = api.post("/members/procurations/accept",
                 {"invitation": p["id"], "code": code_for(p["id"])}, user=MARC)
    assert r.status == 200, r.body
    assert r.body["status"] == "active" and r.body["principal_name"] == "Fatima L."
    me = api.get("/members/me", user=MARC).body
    assert me["has_file"] is False and me["display_name"] == "Marc L."
    assert me["acting_for"] == [{"id": p["id"], "principal_name": "Fatima L.",
                                 "scope": "act", "until": until()}]
    mine = api.get("/members/me").body
    assert mine["has_file"] is True and mine["acting_for"] == []
    claims = get(api, "/claims?limit=3", user=MARC, headers=acting(p))
    assert claims.status == 200 and claims.body["items"]
    assert claims.body == get(api, "/claims?limit=3").body
    started = [m for m in sent_mail() if m["to"] == [OWNER]
               and m["subject"] == "Votre procuration a commencé"]
    assert started


def accept_with(api, p, code, user=MARC):
    return api.post("/members/procurations/accept", {"invitation": p["id"], "code": code},
                    user=user)


def wrong(code: str) -> str:
    """Another code of the same alphabet, surely not this one."""
    return "".join("B" if c != "B" else "C" for c in code)


def test_a_wrong_code_is_counted_and_five_lock_the_invitation(api):
    p = invite(api)
    code = code_for(p["id"])
    for left in (4, 3, 2, 1):
        r = accept_with(api, p, wrong(code))
        assert r.status == 422 and r.body["code"] == "invalid_code", r.body
        assert f"{left} essai" in r.body["message"]
    r = accept_with(api, p, wrong(code))
    assert r.status == 429 and r.body["code"] == "invitation_locked", r.body
    assert int(r.headers["Retry-After"]) > 0 and "bloquée" in r.body["message"]
    # Locked: the right code no longer opens it, and nothing was started.
    r = accept_with(api, p, code)
    assert r.status == 429 and r.body["code"] == "invitation_locked"
    assert api.get("/members/me", user=MARC).body["acting_for"] == []
    given = next(g for g in api.get("/members/procurations").body["given"] if g["id"] == p["id"])
    assert given["status"] == "invited"


def test_an_expired_invitation_cannot_be_accepted(api):
    import time_machine

    p = invite(api)
    code = code_for(p["id"])
    with time_machine.travel(clock.now() + timedelta(days=7, minutes=1), tick=False):
        r = accept_with(api, p, code)
        assert r.status == 422 and r.body["code"] == "invitation_ended", r.body
        given = next(g for g in api.get("/members/procurations").body["given"]
                     if g["id"] == p["id"])
        assert given["status"] == "ended" and given["end_reason"] == "invitation_expired"


def test_an_unknown_invitation_or_a_code_of_another_is_refused(api):
    first, second = invite(api), invite(api, email="lucie.b@example.fr", first="Lucie",
                                        last="Bernard")
    r = accept_with(api, first, code_for(second["id"]))
    assert r.status == 422 and r.body["code"] == "invalid_code"
    r = api.post("/members/procurations/accept",
                 {"invitation": "P20260101T000000-00000000", "code": "ABCDEFGH"}, user=MARC)
    assert r.status == 404 and r.body["code"] == "invitation_not_found"


def test_she_cannot_accept_her_own_invitation(api):
    p = invite(api)
    r = accept_with(api, p, code_for(p["id"]), user=OWNER)
    assert r.status == 422 and r.body["code"] == "own_procuration"


def _sub_of(api, email: str) -> str:
    import boto3

    idp = boto3.client("cognito-idp", region_name="eu-west-3")
    attrs = idp.admin_get_user(UserPoolId=api.resources.user_pool_id,
                               Username=email)["UserAttributes"]
    return next(a["Value"] for a in attrs if a["Name"] == "sub")


def _claims(api, sub: str) -> dict:
    return {"sub": sub, "token_use": "access", "client_id": api.resources.client_id,
            "scope": "aws.cognito.signin.user.admin", "username": sub}


def test_an_account_without_contract_is_made_from_an_invitation(api):
    email = "lucie.b@example.fr"
    p = invite(api, email=email, first="Lucie", last="Bernard", scope="read")
    code = code_for(p["id"])
    body = {"invitation": p["id"], "code": code, "email": email,
            "password": "Un-Mot-De-Passe-Solide-2026"}
    # Another address than the invited one: refused, nothing made.
    r = api.post("/public/procurations/accounts", {**body, "email": "autre@example.fr"})
    assert r.status == 422 and r.body["code"] == "email_mismatch"
    r = api.post("/public/procurations/accounts", {**body, "password": "court"})
    assert r.status == 400 and "password" in r.body["fields"]
    r = api.post("/public/procurations/accounts", body)
    assert r.status == 201, r.body
    assert r.body["email"] == email
    claims = _claims(api, _sub_of(api, email))
    me = api.call("GET", "/members/me", claims=claims).body
    assert me["has_file"] is False and me["display_name"] == "Lucie B."
    assert me["email"] == email and me["formula"] is None and me["beneficiaries"] == []
    assert [a["id"] for a in me["acting_for"]] == [p["id"]]
    # Her own space: no member file to reach.
    r = get(api, "/claims?limit=1", claims=claims)
    assert r.status == 403 and r.body["code"] == "not_a_member"
    # Acting for Fatima, read only.
    r = get(api, "/claims?limit=1", claims=claims, headers=acting(p))
    assert r.status == 200 and r.body["items"]
    # The invitation has served: a second account from it is refused.
    r = api.post("/public/procurations/accounts", body)
    assert r.status == 422 and r.body["code"] == "invitation_ended"


def test_an_account_is_not_made_for_an_address_that_has_one(api):
    p = invite(api)  # Marc already has an account
    r = api.post("/public/procurations/accounts", {
        "invitation": p["id"], "code": code_for(p["id"]), "email": MARC,
        "password": "Un-Mot-De-Passe-Solide-2026"})
    assert r.status == 409 and r.body["code"] == "account_exists"
    assert "connectez-vous" in r.body["message"]
    # A wrong code says nothing about the address.
    p2 = invite(api, email="nouvelle@example.fr", first="Anne", last="Dubois")
    r = api.post("/public/procurations/accounts", {
        "invitation": p2["id"], "code": wrong(code_for(p2["id"])), "email": MARC,
        "password": "Un-Mot-De-Passe-Solide-2026"})
    assert r.status == 422 and r.body["code"] == "invalid_code"


def test_acting_sends_a_request_and_a_message_labelled_for_her(api):
    import requests

    from domain import audit
    from tests.helpers import advisor_ref, sample_pdf
    from tests.routes import request_body

    p = active(api)
    act = acting(p)
    pdf = sample_pdf()
    ticket = api.post("/support/uploads", {"filename": "facture.pdf", "size": len(pdf),
                                           "content_type": "application/pdf"},
                      user=MARC, headers=act)
    assert ticket.status == 201, ticket.body
    assert requests.post(ticket.body["url"], data=ticket.body["fields"],
                         files={"file": ("facture.pdf", pdf)}, timeout=10).status_code < 300
    upload = ticket.body["id"]
    assert api.post(f"/support/uploads/{upload}/confirm", user=MARC, headers=act).status == 200
    r = api.post("/support/requests/reimbursement", request_body(upload),
                 user=MARC, headers={**act, **idempotency()})
    assert r.status == 201, r.body
    label = "par Marc L. pour Fatima L."
    assert r.body["by_label"] == label and r.body["history"][0]["by_label"] == label
    mine = api.get(f"/support/requests/{r.body['id']}").body  # Fatima's own view
    assert mine["by_label"] == label and mine["history"][0]["by_label"] == label
    advisor = api.get(f"/support/advisor/requests/{advisor_ref(api, r.body)}",
                      user="conseiller@example.fr").body
    assert advisor["by_label"] == label and advisor["history"][0]["by_label"] == label
    thread = api.post("/support/threads", {"subject": "Pour ma mère",
                                           "message": "Bonjour, une question sur sa carte."},
                      user=MARC, headers={**act, **idempotency()})
    assert thread.status == 201, thread.body
    assert thread.body["messages"][0]["by_label"] == label
    added = api.post(f"/support/threads/{thread.body['id']}/messages",
                     {"message": "J'ajoute une précision."}, user=MARC,
                     headers={**act, **idempotency()})
    assert added.status == 201 and added.body["by_label"] == label
    seen = api.get(f"/support/threads/{thread.body['id']}").body
    assert [m["by_label"] for m in seen["messages"]] == [label, label]
    # Her own messages carry no label.
    own = api.post("/support/threads", {"subject": "Moi", "message": "Une question à moi."},
                   headers=idempotency())
    assert own.body["messages"][0]["by_label"] is None
    member_id = api.demo["members"][OWNER]["member_id"]
    trail = audit.recent(member_id, 20)
    done = [e for e in trail if e["action"] in ("request_sent", "thread_created")
            and e["who"] == "Marc L. pour Fatima L."]
    assert {e["action"] for e in done} == {"request_sent", "thread_created"}
    assert all(e["role"] == "proxy" for e in done)


def test_read_only_sees_but_sends_nothing(api):
    p = active(api, scope="read")
    act = acting(p)
    assert get(api, "/contract/card", user=MARC, headers=act).status == 200
    assert get(api, "/documents?limit=2", user=MARC, headers=act).status == 200
    r = api.post("/support/threads", {"subject": "Une question", "message": "Bonjour, test."},
                 user=MARC, headers={**act, **idempotency()})
    assert r.status == 403 and r.body["code"] == "beyond_procuration"
    assert "consulter" in r.body["message"]
    assert get(api, "/support/threads?limit=50").body["items"][0]["subject"] != "Une question"


# Valid bodies: the scope is checked with the caller, after the body's validation (an
# invalid body is 400 whoever sends it, and changes nothing either).
BEYOND = [
    ("GET", "/members/profile", None),
    ("POST", "/members/email-changes", {"email": "pirate@example.fr",
                                        "password": "Demo-Adherent-2026!"}),
    ("POST", "/members/password", {"current_password": "Demo-Adherent-2026!",
                                   "new_password": "Pirate-Pirate-2026"}),
    ("GET", "/members/me", None),
    ("GET", "/members/procurations", None),
    ("POST", "/members/procurations", {"first_name": "A", "last_name": "B",
                                       "email": "a.b@example.fr", "scope": "act",
                                       "until": until()}),
    ("POST", "/members/me/exports", {}),
    ("POST", "/contract/bank-details", {"target": "benefit", "beneficiary_id": "B03",
                                        "iban": "FR7630006000011234567890189",
                                        "holder": "Marc Lambert",
                                        "password": "Demo-Adherent-2026!",
                                        "upload_ids": ["U20260101T000000-00000000"]}),
    ("POST", "/contract/iban-checks", {"iban": "FR7630006000011234567890189"}),
    ("POST", "/contract/payments", {"periods": ["2026-01"], "amount_cents": 100}),
    ("POST", "/contract/beneficiaries", {"first_name": "Léo", "last_name": "Lambert",
                                         "birth_date": "2026-09-01",
                                         "relationship": "child",
                                         "upload_ids": ["U20260101T000000-00000000"]}),
]


def test_beyond_the_procuration_is_refused_with_nothing_changed(api):
    p = active(api, scope="act")
    before = api.get("/members/profile").body
    change = {"version": before["version"], "phone": "07 98 76 54 32",
              "address": {k: v for k, v in before["address"].items() if k != "country"},
              "preferences": before["preferences"]}
    for method, path, body in [*BEYOND, ("PUT", "/members/profile", change)]:
        r = api.call(method, path, body=body, user=MARC,
                     headers={**acting(p), **idempotency()})
        assert r.status == 403 and r.body["code"] == "beyond_procuration", (path, r.body)
        assert r.body["message"].startswith("Cette action dépasse la procuration")
    assert api.get("/members/profile").body == before


def test_an_end_takes_effect_on_the_next_request(api):
    p = active(api)
    act = acting(p)
    assert get(api, "/claims?limit=1", user=MARC, headers=act).status == 200
    assert api.post(f"/members/procurations/{p['id']}/end").status == 204
    r = get(api, "/claims?limit=1", user=MARC, headers=act)
    assert r.status == 403 and r.body["code"] == "procuration_ended"
    assert "a pris fin" in r.body["message"]
    assert api.get("/members/me", user=MARC).body["acting_for"] == []
    received = api.get("/members/procurations", user=MARC).body["received"]
    ended = next(x for x in received if x["id"] == p["id"])
    assert ended["status"] == "ended" and ended["end_reason"] == "revoked"
    mails = sent_mail()
    assert any(m["to"] == [MARC] and "a pris fin" in m["subject"] for m in mails)
    assert any(m["to"] == [OWNER] and m["subject"] == "Votre procuration a pris fin"
               for m in mails)
    # Ended: ending again says so.
    r = api.post(f"/members/procurations/{p['id']}/end")
    assert r.status == 409 and r.body["code"] == "procuration_ended"


def test_the_trusted_person_may_end_it_too(api):
    p = active(api)
    assert api.post(f"/members/procurations/{p['id']}/end", user=MARC).status == 204
    given = next(g for g in api.get("/members/procurations").body["given"] if g["id"] == p["id"])
    assert given["status"] == "ended" and given["end_reason"] == "ended_by_grantee"
    r = get(api, "/claims?limit=1", user=MARC, headers=acting(p))
    assert r.status == 403 and r.body["code"] == "procuration_ended"


def test_an_expired_procuration_is_refused_and_the_sweep_tells_her(api):
    import time_machine

    from members.sweep import lambda_handler as sweep
    from tests.helpers import LambdaContext

    def nightly() -> int:
        return sweep({}, LambdaContext(function_name="ProcurationsSweepFunction"))["ended"]

    p = active(api)
    with time_machine.travel(clock.now() + timedelta(days=31), tick=False):
        r = get(api, "/claims?limit=1", user=MARC, headers=acting(p))
        assert r.status == 403 and r.body["code"] == "procuration_ended"
        given = next(g for g in api.get("/members/procurations").body["given"]
                     if g["id"] == p["id"])
        assert given["status"] == "ended" and given["end_reason"] == "expired"
        assert nightly() >= 1
        assert nightly() == 0  # once
    mails = [m for m in sent_mail() if m["to"] == [OWNER]
             and m["subject"] == "Votre procuration a pris fin"]
    assert mails and "arrivée à son terme" in mails[0]["body"]


def test_another_persons_procuration_is_refused(api):
    p = active(api)
    r = get(api, "/claims?limit=1", user=PAUL, headers=acting(p))
    assert r.status == 403 and r.body["code"] == "procuration_ended"
    r = get(api, "/claims?limit=1", user=MARC, headers={"X-Act-For": "nimporte-quoi"})
    assert r.status == 403 and r.body["code"] == "procuration_ended"
    # Nobody else may end it, nor learn it exists.
    r = api.post(f"/members/procurations/{p['id']}/end", user=PAUL)
    assert r.status == 404
    # Paul's own claims are never reached through it: Fatima's are answered, as her own.
    assert get(api, "/claims?limit=1", user=MARC, headers=acting(p)).body == \
        get(api, "/claims?limit=1").body


def test_the_first_use_is_told_once(api):
    def used() -> int:
        return len([m for m in sent_mail() if m["to"] == [OWNER]
                    and m["subject"] == "Votre procuration vient d'être utilisée"
                    and "première fois" in m["body"]])

    p = active(api)
    before = used()
    for _ in range(3):
        assert get(api, "/claims?limit=1", user=MARC, headers=acting(p)).status == 200
    assert used() == before + 1


def test_an_advisor_cannot_act_for_anyone(api):
    p = active(api)
    r = get(api, "/support/advisor/queue", user="conseiller@example.fr", headers=acting(p))
    assert r.status == 403 and r.body["code"] == "procuration_ended"


@pytest.mark.dated
def test_bad_input_is_refused_field_by_field_with_nothing_made(api):
    good = {"first_name": "Marc", "last_name": "Lambert", "email": MARC, "scope": "act",
            "until": until()}
    today = clock.today()
    cases = [
        ({"first_name": ""}, "first_name"), ({"first_name": "x" * 51}, "first_name"),
        ({"last_name": "   "}, "last_name"), ({"email": "pas-une-adresse"}, "email"),
        ({"email": OWNER}, "email"), ({"scope": "all"}, "scope"),
        ({"until": "31/12/2026"}, "until"), ({"until": today.isoformat()}, "until"),
        ({"until": (today - timedelta(days=1)).isoformat()}, "until"),
        ({"until": (today + timedelta(days=367)).isoformat()}, "until"),
        ({"extra": 1}, "extra"),
    ]
    before = len(api.get("/members/procurations").body["given"])
    for change, field in cases:
        r = api.post("/members/procurations", {**good, **change}, headers=idempotency())
        assert r.status in (400, 422), (change, r.body)
        assert field in r.body.get("fields", {}), (change, r.body)
    assert len(api.get("/members/procurations").body["given"]) == before
    for body in ({"invitation": "x", "code": "1"}, {"invitation": "", "code": "ABCDEFGH"},
                 {"invitation": "P1", "code": "ABCD<EFG"}, {"code": "ABCDEFGH"}):
        r = api.post("/members/procurations/accept", body, user=MARC)
        assert r.status == 400, (body, r.body)


def test_at_most_three_open_at_once(api):
    for i in range(3):
        invite(api, email=f"proche{i}@example.fr", first="Proche", last=f"N{i}")
    r = api.post("/members/procurations", {"first_name": "Un", "last_name": "De Trop",
                                           "email": "trop@example.fr", "scope": "read",
                                           "until": until()}, headers=idempotency())
    assert r.status == 409 and r.body["code"] == "too_many_procurations"


def test_a_double_submit_invites_once(api):
    key = idempotency()
    body = {"first_name": "Marc", "last_name": "Lambert", "email": MARC, "scope": "read",
            "until": until()}
    first = api.post("/members/procurations", body, headers=key)
    again = api.post("/members/procurations", body, headers=key)
    assert first.status == again.status == 201 and first.body["id"] == again.body["id"]
    given = [g for g in api.get("/members/procurations").body["given"]
             if g["status"] == "invited"]
    assert len(given) == 1


def test_a_call_back_booked_for_her_and_the_advisors_views_say_by_whom(api):
    from tests.routes import InProcess, World, callback_body

    p = active(api)
    label = "par Marc L. pour Fatima L."
    slot_id = World(InProcess(api)).slot_id()
    r = api.post("/support/callbacks", callback_body(slot_id), user=MARC,
                 headers={**acting(p), **idempotency()})
    assert r.status == 201, r.body
    assert r.body["by_label"] == label
    mine = next(c for c in get(api, "/support/callbacks?limit=100").body["items"]
                if c["id"] == slot_id)
    assert mine["by_label"] == label
    slots = get(api, "/support/advisor/callback-slots", user="conseiller@example.fr").body
    assert next(s for s in slots["items"] if s["id"] == slot_id)["by_label"] == label
    thread = api.post("/support/threads", {"subject": "Pour elle", "message": "Une question."},
                      user=MARC, headers={**acting(p), **idempotency()}).body
    member_id = api.demo["members"][OWNER]["member_id"]
    seen = api.get(f"/support/advisor/threads/{member_id}_{thread['id']}",
                   user="conseiller@example.fr").body
    assert seen["messages"][0]["by_label"] == label


def test_a_trusted_person_without_procuration_has_her_own_space_only(api):
    me = api.get("/members/me", user=MARC).body
    assert me["has_file"] is False and me["member_number"] == ""
    lists = api.get("/members/procurations", user=MARC).body
    assert lists["given"] == []
    r = api.post("/members/procurations", {"first_name": "A", "last_name": "B",
                                           "email": "a.b@example.fr", "scope": "read",
                                           "until": until()}, user=MARC, headers=idempotency())
    assert r.status == 403 and r.body["code"] == "not_a_member"


def test_her_session_closed_and_the_members_cover_ended_still_hold(api):
    """Acting checks the trusted person's own session (a closed one is 401, as for anyone),
    and the member's cover: once it ended, only her documents remain, for him too."""
    import boto3

    from tests.notices import set_end_date

    p = active(api)
    claims = {**api.claims_for(MARC), "origin_jti": "session-de-marc", "iat": clock.epoch()}
    assert get(api, "/claims?limit=1", claims=claims, headers=acting(p)).status == 200
    assert api.post("/members/logout", {}, claims=claims).status == 204
    r = get(api, "/claims?limit=1", claims=claims, headers=acting(p))
    assert r.status == 401
    table = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])
    member_id = api.demo["members"][OWNER]["member_id"]
    set_end_date(table, member_id, (clock.today() - timedelta(days=1)).isoformat())
    try:
        r = get(api, "/claims?limit=1", user=MARC, headers=acting(p))
        assert r.status == 403 and r.body["code"] == "contract_ended"
        assert get(api, "/documents?limit=1", user=MARC, headers=acting(p)).status == 200
    finally:
        set_end_date(table, member_id, None)


def test_a_double_submit_of_an_acceptance_accepts_once(api):
    p = invite(api)
    body = {"invitation": p["id"], "code": code_for(p["id"])}
    first = api.post("/members/procurations/accept", body, user=MARC)
    again = api.post("/members/procurations/accept", body, user=MARC)
    assert first.status == again.status == 200 and first.body == again.body
    # Anyone else, even with the code, finds it used.
    r = api.post("/members/procurations/accept", body, user=PAUL)
    assert r.status == 422 and r.body["code"] == "invitation_ended"
