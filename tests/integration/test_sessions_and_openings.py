"""Issue 20, ACCESS: « Mes appareils et sessions » (a member's open sessions, each closable, the
closed one refused at once), the advisors' sessions (listed, closable, a working day at most),
need to know (a member's file opened through a request, a message or a call-back of the
advisor's team, or with a reason; every opening recorded once) and « Qui a consulté mon
dossier » (the member reads those openings, in words; nobody else does)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import boto3
import pyotp
import pytest
import time_machine

from infra.local.cognito import DEMO_TOTP_SECRET
from shared import clock
from tests.helpers import idempotency
from tests.integration.account_helpers import member_items, new_member

FATIMA = "fatima.l@example.fr"
PAUL = "paul.m@example.fr"
ADVISOR = "conseiller@example.fr"
PHONE = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/126.0.0.0 Mobile Safari/537.36")
DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 "
           "Firefox/128.0")


def session(api, user: str, *, signed_in: int | None = None) -> dict:
    """The claims of a new sign-in of `user`: its own session and sign-in time."""
    return {**api.claims_for(user), "origin_jti": str(uuid.uuid4()), "jti": str(uuid.uuid4()),
            "auth_time": str(signed_in or clock.epoch()), "iat": str(clock.epoch())}


def open_space(api, claims, user_agent=PHONE, **headers):
    """The first page of the space: GET /members/me records the sign-in."""
    answer = api.get("/members/me", claims=claims, headers={"user-agent": user_agent, **headers})
    assert answer.status == 200, answer.body
    return answer


def sessions_of(api, claims) -> list[dict]:
    answer = api.get("/members/me/sessions", claims=claims)
    assert answer.status == 200, answer.body
    return answer.body["items"]


def member_id(api, user: str = FATIMA) -> str:
    return api.demo["members"][user]["member_id"]


# ----------------------------------------------------------------------------- members
def test_her_open_sessions_are_listed_with_the_device_and_this_one_marked(api):
    phone, computer = session(api, FATIMA), session(api, FATIMA, signed_in=clock.epoch() - 600)
    open_space(api, phone, **{"cloudfront-viewer-country": "FR"})
    open_space(api, computer, user_agent=DESKTOP)
    computer_id = next(s["id"] for s in sessions_of(api, computer) if s["current"])
    seen = sessions_of(api, phone)
    (this,) = [s for s in seen if s["current"]]
    assert this["device"] == "Chrome sur Android" and this["country"] == "FR"
    (that,) = [s for s in seen if s["id"] == computer_id]
    assert that["device"] == "Firefox sur Windows" and that["current"] is False
    assert [s["started_at"] for s in seen] == sorted((s["started_at"] for s in seen),
                                                     reverse=True)
    assert [s["current"] for s in sessions_of(api, computer)].count(True) == 1


def test_the_page_of_a_new_session_lists_it_even_as_its_first_call(api):
    fresh = session(api, FATIMA)
    answer = api.get("/members/me/sessions", claims=fresh, headers={"user-agent": DESKTOP})
    assert answer.status == 200, answer.body
    assert [s["device"] for s in answer.body["items"] if s["current"]] == ["Firefox sur Windows"]


def test_closing_another_session_refuses_its_next_request_at_once(api):
    here, there = session(api, FATIMA), session(api, FATIMA)
    open_space(api, here)
    open_space(api, there, user_agent=DESKTOP)
    there_id = next(s["id"] for s in sessions_of(api, there) if s["current"])
    other = next(s for s in sessions_of(api, here) if s["id"] == there_id)
    assert not other["current"] and other["device"] == "Firefox sur Windows"
    closed = api.post(f"/members/me/sessions/{other['id']}/close", claims=here)
    assert closed.status == 204, closed.body
    refused = api.get("/members/me", claims=there)
    assert refused.status == 401, refused.body
    # A refreshed token of that session (same origin_jti) is refused too.
    refreshed = {**there, "jti": str(uuid.uuid4()), "iat": str(clock.epoch() + 1)}
    assert api.get("/claims", claims=refreshed, query="limit=1").status == 401
    assert other["id"] not in [s["id"] for s in sessions_of(api, here)]
    assert api.get("/members/me", claims=here).status == 200  # hers goes on
    again = api.post(f"/members/me/sessions/{other['id']}/close", claims=here)
    assert again.status == 404


def test_another_members_or_an_unknown_session_is_not_found(api):
    hers = session(api, FATIMA)
    open_space(api, hers)
    her_id = next(s["id"] for s in sessions_of(api, hers) if s["current"])
    paul = session(api, PAUL)
    open_space(api, paul)
    answer = api.post(f"/members/me/sessions/{her_id}/close", claims=paul)
    assert answer.status == 404 and "introuvable" in answer.body["message"]
    assert api.get("/members/me", claims=hers).status == 200, "her session stays open"
    assert api.post("/members/me/sessions/0123456789abcdef0123/close",
                    claims=hers).status == 404
    assert her_id not in [s["id"] for s in sessions_of(api, paul)]


def test_a_session_logged_out_or_older_than_its_refresh_token_is_not_listed(api):
    watcher = session(api, FATIMA)
    open_space(api, watcher)
    gone = session(api, FATIMA)
    open_space(api, gone, user_agent=DESKTOP)
    gone_id = next(s["id"] for s in sessions_of(api, gone) if s["current"])
    assert api.post("/members/logout", {}, claims=gone).status == 204
    ids = [s["id"] for s in sessions_of(api, watcher)]
    assert gone_id not in ids, "a session logged out on its device is closed"
    old = session(api, FATIMA, signed_in=clock.epoch() - 13 * 3600)
    open_space(api, old)
    assert len(sessions_of(api, watcher)) == len(ids), "a 13-hour-old sign-in is over"


def test_logging_out_everywhere_leaves_no_session_open(api):
    """A member of her own: Fatima's sessions serve the other tests of this module."""
    lea = new_member(api)

    def lea_session() -> dict:
        return {**session(api, FATIMA), "sub": lea["sub"], "username": lea["sub"]}

    first, second = lea_session(), lea_session()
    open_space(api, first)
    open_space(api, second)
    assert len(sessions_of(api, first)) == 2
    assert api.post("/members/logout", {"everywhere": True}, claims=first).status == 204
    with time_machine.travel(clock.now() + timedelta(seconds=2), tick=False):
        after = lea_session()  # a sign-in after it
        open_space(api, after)
        assert [s["current"] for s in sessions_of(api, after)] == [True]


# ----------------------------------------------------------------------------- advisors
def test_an_advisors_sessions_are_recorded_listed_and_closable(api):
    desk = session(api, ADVISOR, signed_in=clock.epoch() - 3600)
    laptop = session(api, ADVISOR)
    assert api.get("/support/advisor/queue", claims=desk,
                   headers={"user-agent": DESKTOP}).status == 200
    assert api.get("/support/advisor/duty", claims=laptop,
                   headers={"user-agent": PHONE}).status == 200
    laptop_id = next(s["id"] for s in api.get("/support/advisor/sessions", claims=laptop)
                     .body["items"] if s["current"])
    listed = api.get("/support/advisor/sessions", claims=desk)
    assert listed.status == 200, listed.body
    (this,) = [s for s in listed.body["items"] if s["current"]]
    (that,) = [s for s in listed.body["items"] if s["id"] == laptop_id]
    assert this["device"] == "Firefox sur Windows" and that["device"] == "Chrome sur Android"
    mine = {"Firefox sur Windows": this, "Chrome sur Android": that}
    closed = api.post(f"/support/advisor/sessions/{mine['Chrome sur Android']['id']}/close",
                      claims=desk)
    assert closed.status == 204, closed.body
    assert api.get("/support/advisor/queue", claims=laptop).status == 401
    assert api.get("/support/advisor/queue", claims=desk).status == 200
    assert api.post(f"/support/advisor/sessions/{mine['Chrome sur Android']['id']}/close",
                    claims=desk).status == 404
    # Another advisor never sees nor closes them.
    other = session(api, "conseillere2@example.fr")
    assert api.get("/support/advisor/duty", claims=other).status == 200
    theirs = api.get("/support/advisor/sessions", claims=other).body["items"]
    assert mine["Firefox sur Windows"]["id"] not in [s["id"] for s in theirs]
    assert api.post(f"/support/advisor/sessions/{mine['Firefox sur Windows']['id']}/close",
                    claims=other).status == 404


def test_an_advisor_token_signed_in_more_than_ten_hours_ago_is_refused(api):
    nine = session(api, ADVISOR, signed_in=clock.epoch() - 9 * 3600)
    assert api.get("/support/advisor/queue", claims=nine).status == 200
    eleven = session(api, ADVISOR, signed_in=clock.epoch() - 10 * 3600 - 60)
    # Whatever the token says of its own expiry.
    eleven["exp"] = str(clock.epoch() + 3600)
    refused = api.get("/support/advisor/queue", claims=eleven)
    assert refused.status == 401
    assert refused.body["code"] == "session_too_long"
    assert "10 heures" in refused.body["message"]
    no_time = {k: v for k, v in api.claims_for(ADVISOR).items() if k != "auth_time"}
    assert api.get("/support/advisor/queue", claims=no_time).status == 401


def _advisor_tokens(api) -> dict:
    idp = boto3.client("cognito-idp", region_name="eu-west-3")
    client = api.resources.advisors_client_id
    first = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
        "USERNAME": ADVISOR, "PASSWORD": "Demo-Conseiller-2026!"})
    done = idp.respond_to_auth_challenge(
        ClientId=client, ChallengeName=first["ChallengeName"], Session=first["Session"],
        ChallengeResponses={"USERNAME": ADVISOR,
                            "SOFTWARE_TOKEN_MFA_CODE": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    return done["AuthenticationResult"]


@pytest.mark.parametrize("who, hours", [("advisor", 10), ("member", 12)])
def test_the_local_cognito_refuses_a_refresh_token_past_its_life(api, who, hours):
    idp = boto3.client("cognito-idp", region_name="eu-west-3")
    if who == "advisor":
        tokens, client = _advisor_tokens(api), api.resources.advisors_client_id
    else:
        client = api.resources.client_id
        tokens = idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": PAUL,
                                                   "PASSWORD": "Demo-Adherent-2026!"}
                                   )["AuthenticationResult"]

    def refresh():
        return idp.initiate_auth(ClientId=client, AuthFlow="REFRESH_TOKEN_AUTH",
                                 AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})

    with time_machine.travel(clock.now() + timedelta(hours=hours, minutes=-5), tick=False):
        assert refresh()["AuthenticationResult"]["AccessToken"]
    with time_machine.travel(clock.now() + timedelta(hours=hours, minutes=1), tick=False), \
            pytest.raises(idp.exceptions.NotAuthorizedException, match="expired"):
        refresh()


# ----------------------------------------------------------------------------- need to know
def _new_request(api, user: str = FATIMA) -> dict:
    made = api.post("/support/requests/other", {
        "category": "other", "subject": "Question sur mon contrat",
        "message": "Bonjour, une question sur mon contrat."}, user=user, headers=idempotency())
    assert made.status == 201, made.body
    return made.body


def _new_thread(api, user: str = FATIMA, subject: str = "Ma carte de tiers payant") -> dict:
    made = api.post("/support/threads", {"subject": subject,
                                         "message": "Bonjour, ma carte est refusée."},
                    user=user, headers=idempotency())
    assert made.status == 201, made.body
    return made.body


def _openings(api, user: str = FATIMA) -> list[dict]:
    return [i for i in member_items(api, member_id(api, user), "AUDIT#")
            if i["action"] == "file_opened"]


def _open(api, member: str, *, claims=None, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return api.get(f"/support/advisor/members/{member}", user=ADVISOR, query=q, claims=claims)


def test_a_request_of_her_team_opens_the_file_and_the_opening_is_recorded_once(api):
    fatima = member_id(api)
    request = _new_request(api)
    before = len(_openings(api))
    opened = _open(api, fatima, via=f"{fatima}_{request['id']}")
    assert opened.status == 200, opened.body
    file = opened.body
    assert file["member_number"] == fatima and file["name"].startswith("Fatima")
    assert file["formula_label"] and file["beneficiaries"]
    assert request["reference"] in [r["reference"] for r in file["recent_requests"]]
    assert file["opened_for"] == f"Pour votre demande {request['reference']}"
    entries = _openings(api)
    assert len(entries) == before + 1
    assert entries[-1]["detail"] == file["opened_for"] and entries[-1]["role"] == "advisor"


def test_a_thread_of_her_team_opens_the_file(api):
    fatima = member_id(api)
    thread = _new_thread(api, subject="Remboursement optique")
    opened = _open(api, fatima, via=f"{fatima}_{thread['id']}")
    assert opened.status == 200, opened.body
    assert opened.body["opened_for"] == "Pour votre message « Remboursement optique »"
    assert "Remboursement optique" in [t["subject"] for t in opened.body["threads"]]


def test_without_a_via_of_hers_a_reason_is_required_and_nothing_is_recorded(api):
    fatima, paul = member_id(api), member_id(api, PAUL)
    pauls = _new_request(api, PAUL)
    before = len(_openings(api))
    for query in ({}, {"via": f"{paul}_{pauls['id']}"},  # another member's request
                  {"via": f"{fatima}_{pauls['id']}"}, {"via": f"{fatima}_R20260101T000000abc"}):
        refused = _open(api, fatima, **query)
        assert refused.status == 400, (query, refused.body)
        assert refused.body["code"] == "reason_required"
        assert "indiquez pourquoi" in refused.body["message"]
    other = _open(api, fatima, reason="other")
    assert other.status == 400 and other.body["code"] == "note_required"
    assert _open(api, fatima, reason="curiosity").status == 400
    assert len(_openings(api)) == before
    assert _open(api, "9999999999", reason="complaint").status == 404


def test_a_via_of_another_team_asks_for_a_reason(api):
    """An advisor of another team: Fatima's request is not hers to open without a reason."""
    fatima = member_id(api)
    request = _new_request(api)
    sub = str(uuid.uuid4())
    boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"]).put_item(Item={
            "pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account", "role": "advisor",
            "team": "prevoyance", "display_name": "Inès B."})
    claims = {**api.claims_for(ADVISOR), "sub": sub, "username": sub}
    refused = _open(api, fatima, claims=claims, via=f"{fatima}_{request['id']}")
    assert refused.status == 400 and refused.body["code"] == "reason_required"
    opened = _open(api, fatima, claims=claims, reason="complaint",
                   note="Courrier du 2 décembre")
    assert opened.status == 200, opened.body
    assert opened.body["opened_for"] == "Motif : Réclamation — Courrier du 2 décembre"
    words = api.get("/members/me/accesses", user=FATIMA).body["items"][0]
    assert words["advisor"] == "Inès B." and words["why"] == opened.body["opened_for"]


def test_a_booked_call_back_of_her_team_opens_the_file(api):
    from tests.routes import InProcess, World

    world = World(InProcess(api))
    callback = world.callback_id()
    fatima = member_id(api)
    opened = _open(api, fatima, via=f"{fatima}_{callback}")
    assert opened.status == 200, opened.body
    assert opened.body["opened_for"].startswith("Pour votre rappel du ")
    assert callback in [c["id"] for c in opened.body["upcoming_callbacks"]]


# ----------------------------------------------------------------------------- her view
def test_she_sees_every_opening_with_who_when_and_why_and_nobody_else_does(api):
    fatima = member_id(api)
    # An older opening of its own: the second page must not depend on other tests' openings.
    assert _open(api, fatima, reason="member_call").status == 200
    request = _new_request(api)
    thread = _new_thread(api, subject="Question dentaire")
    ref = f"{fatima}_{request['id']}"
    assert api.get(f"/support/advisor/requests/{ref}", user=ADVISOR).status == 200
    assert api.get(f"/support/advisor/threads/{fatima}_{thread['id']}",
                   user=ADVISOR).status == 200
    assert _open(api, fatima, reason="member_call").status == 200
    answer = api.get("/members/me/accesses", user=FATIMA, query="limit=3")
    assert answer.status == 200, answer.body
    newest = answer.body["items"]
    assert [i["why"] for i in newest] == [
        "Motif : Appel de l'adhérent", "Pour votre message « Question dentaire »",
        f"Pour votre demande {request['reference']}"]
    assert {i["advisor"] for i in newest} == {"Camille R."}
    assert all(i["at"].endswith(("+01:00", "+02:00")) for i in newest), "Paris time"
    assert answer.body["next"], "older openings on the next page"
    more = api.get("/members/me/accesses", user=FATIMA,
                   query=f"limit=3&cursor={answer.body['next']}")
    assert more.status == 200 and more.body["items"] != newest
    # Paul sees none of hers.
    pauls = api.get("/members/me/accesses", user=PAUL, query="limit=100").body["items"]
    assert not [i for i in pauls if "Question dentaire" in i["why"]
                or request["reference"] in i["why"]]
    # An advisor has no « Qui a consulté mon dossier » of her own.
    assert api.get("/members/me/accesses", user=ADVISOR).status in (401, 403)
