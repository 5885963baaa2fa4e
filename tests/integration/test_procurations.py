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
