"""« Contact & aide », secure messaging: a member's conversation with the advisors, both ways,
unread markers on both sides, the audit trail, the email that never carries the content, and
nobody else reaching it."""

import boto3
import pytest

from tests.helpers import ADVISOR, idempotency, sample_pdf, sent_mail, upload_file

FATIMA, PAUL = "fatima.l@example.fr", "paul.m@example.fr"
OTHER_ADVISOR = "conseillere2@example.fr"
SECRET = "Mon fils est suivi pour une maladie rare"


def open_thread(api, user=FATIMA, **over):
    body = {"subject": "Remboursement de l'orthodontie",
            "message": f"{SECRET} : le <b>devis</b> est-il pris en charge ?", **over}
    r = api.post("/support/threads", body, user=user, headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def ref(api, thread, user=FATIMA):
    return f"{api.demo['members'][user]['member_id']}_{thread['id']}"


def audit(api, user=FATIMA):
    table = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])
    pk = f"MEMBER#{api.demo['members'][user]['member_id']}"
    items = table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :a)",
                        ExpressionAttributeValues={":pk": pk, ":a": "AUDIT#"})["Items"]
    return [(i["role"], i["action"], i["target"]) for i in items]


def stored(api, prefix, user=FATIMA):
    table = boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])
    pk = f"MEMBER#{api.demo['members'][user]['member_id']}"
    return table.query(KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
                       ExpressionAttributeValues={":pk": pk, ":p": prefix})["Items"]


def mine(api, thread_id, user=FATIMA):
    items = api.get("/support/threads", user=user, query="limit=100").body["items"]
    return next((t for t in items if t["id"] == thread_id), None)


def in_box(api, box, thread, advisor=ADVISOR):
    items = api.get("/support/advisor/threads", user=advisor,
                    query=f"box={box}&limit=100").body["items"]
    return next((t for t in items if t["ref"] == ref(api, thread)), None), items


def test_a_question_and_its_answer_go_round(api):
    doc = upload_file(api, sample_pdf())
    thread = open_thread(api, upload_ids=[doc])
    assert thread["status"] == "waiting" and thread["status_label"] == "En attente de réponse"
    # Shown as text, never as markup: what she typed comes back as she typed it.
    assert thread["messages"][0]["text"].endswith("le <b>devis</b> est-il pris en charge ?")
    assert [a["filename"] for a in thread["messages"][0]["attachments"]] == ["facture.pdf"]
    assert mine(api, thread["id"])["unread"] is False

    # Advisors see it among the conversations waiting for a first answer, oldest first.
    found, waiting = in_box(api, "waiting", thread)
    assert found and found["unread"] and found["member_name"] == "Fatima Lambert"
    assert [t["created_at"] for t in waiting] == sorted(t["created_at"] for t in waiting)
    opened = api.get(f"/support/advisor/threads/{ref(api, thread)}", user=ADVISOR).body
    assert ("advisor", "thread_opened", thread["id"]) in audit(api)
    assert in_box(api, "waiting", thread)[0]["unread"] is False

    before = len([m for m in sent_mail() if FATIMA in m["to"]])
    answered = api.post(f"/support/advisor/threads/{ref(api, thread)}/messages",
                        {"version": opened["version"],
                         "message": "Bonjour, oui : envoyez-nous le devis."}, user=ADVISOR)
    assert answered.status == 200, answered.body
    assert answered.body["status"] == "answered" and answered.body["mine"]
    assert ("advisor", "thread_answered", thread["id"]) in audit(api)
    mails = [m for m in sent_mail() if FATIMA in m["to"]]
    assert len(mails) == before + 1
    mail = mails[0]
    assert mail["subject"] == "Vous avez un nouveau message"
    assert "Contact & aide" in mail["body"] and "/espace/contact/" in mail["body"]
    for secret in (SECRET, "devis", "orthodontie", "envoyez-nous"):
        assert secret not in mail["body"] and secret not in mail["subject"]

    # It left the waiting list for the advisor's own; the member has an unread answer.
    assert in_box(api, "waiting", thread)[0] is None
    assert in_box(api, "mine", thread)[0]["unread"] is False
    assert in_box(api, "mine", thread, OTHER_ADVISOR)[0] is None
    listed = mine(api, thread["id"])
    assert listed["unread"] and listed["status_label"] == "Répondu"
    assert listed["advisor_name"] == "Camille R."

    read = api.get(f"/support/threads/{thread['id']}").body
    assert [m["author_role"] for m in read["messages"]] == ["member", "advisor"]
    assert read["messages"][1]["author_name"] == "Camille R."
    assert api.post(f"/support/threads/{thread['id']}/read",
                    {"version": read["version"]}).status == 204
    assert mine(api, thread["id"])["unread"] is False

    # She writes again: unread for the advisors, and she stays « read » herself.
    again = api.post(f"/support/threads/{thread['id']}/messages",
                     {"message": "Merci, je vous l'envoie."}, headers=idempotency())
    assert again.status == 201, again.body
    assert in_box(api, "mine", thread)[0]["unread"] is True
    assert mine(api, thread["id"])["unread"] is False
    assert mine(api, thread["id"])["status_label"] == "En attente de réponse"


def test_a_double_submit_writes_one_conversation_and_one_message(api):
    headers = idempotency()
    body = {"subject": "Double clic", "message": "Un seul envoi, deux clics."}
    first = api.post("/support/threads", body, headers=headers)
    second = api.post("/support/threads", body, headers=headers)
    assert first.status == second.status == 201 and first.body["id"] == second.body["id"]
    assert len([t for t in api.get("/support/threads", query="limit=100").body["items"]
                if t["subject"] == "Double clic"]) == 1
    path = f"/support/threads/{first.body['id']}/messages"
    headers = idempotency()
    replies = [api.post(path, {"message": "Une précision."}, headers=headers) for _ in range(2)]
    assert [r.status for r in replies] == [201, 201]
    assert replies[0].body["id"] == replies[1].body["id"]
    assert api.get(f"/support/threads/{first.body['id']}").body["message_count"] == 2


def test_an_advisor_answering_an_old_version_gets_409_and_writes_nothing(api):
    thread = open_thread(api)
    path = f"/support/advisor/threads/{ref(api, thread)}"
    version = api.get(path, user=ADVISOR).body["version"]
    first = api.post(f"{path}/messages", {"version": version, "message": "Réponse."},
                     user=ADVISOR)
    twice = api.post(f"{path}/messages", {"version": version, "message": "Réponse."},
                     user=ADVISOR)
    assert (first.status, twice.status) == (200, 409)
    assert "relisez la conversation" in twice.body["message"]
    # The member wrote meanwhile: the colleague's answer on what she read is refused too.
    current = api.get(path, user=OTHER_ADVISOR).body["version"]
    api.post(f"/support/threads/{thread['id']}/messages", {"message": "Et aussi..."},
             headers=idempotency())
    late = api.post(f"{path}/messages", {"version": current, "message": "Autre réponse."},
                    user=OTHER_ADVISOR)
    assert late.status == 409
    assert api.get(f"/support/threads/{thread['id']}").body["message_count"] == 3


def test_nobody_else_reaches_a_conversation(api):
    doc = upload_file(api, sample_pdf())
    thread = open_thread(api, upload_ids=[doc])
    tid = thread["id"]
    for method, path, body in [
            ("GET", f"/support/threads/{tid}", None),
            ("POST", f"/support/threads/{tid}/messages", {"message": "Intrusion"}),
            ("POST", f"/support/threads/{tid}/read", {"version": 1}),
            ("GET", f"/support/threads/{tid}/attachments/{doc}", None)]:
        r = api.call(method, path, user=PAUL, body=body, headers=idempotency())
        assert r.status == 404 and "introuvable" in r.body["message"], (path, r.body)
    assert mine(api, tid, PAUL) is None
    # The advisors' side does not exist for members.
    for path in ("/support/advisor/threads", f"/support/advisor/threads/{ref(api, thread)}",
                 "/support/advisor/duty", "/support/advisor/callback-slots"):
        assert api.get(path, user=FATIMA).status == 404
    # A member's space does not exist for advisors.
    assert api.get("/support/threads", user=ADVISOR).status == 403
    assert api.get(f"/support/threads/{tid}").body["message_count"] == 1


def test_attachments_are_fetched_by_their_owner_and_the_advisors_only(api):
    doc = upload_file(api, sample_pdf())
    loose = upload_file(api, sample_pdf())  # checked, attached to nothing
    thread = open_thread(api, upload_ids=[doc])
    link = api.get(f"/support/threads/{thread['id']}/attachments/{doc}")
    assert link.status == 200 and link.body["filename"] == "facture.pdf"
    assert "facture.pdf" in link.body["url"]
    assert api.get(f"/support/threads/{thread['id']}/attachments/{loose}").status == 404
    advisor = api.get(f"/support/advisor/threads/{ref(api, thread)}/attachments/{doc}",
                      user=ADVISOR)
    assert advisor.status == 200
    assert ("advisor", "attachment_opened", doc) in audit(api)
    # Attached once: the same file cannot be sent again with another message.
    again = api.post(f"/support/threads/{thread['id']}/messages",
                     {"message": "Encore", "upload_ids": [doc]}, headers=idempotency())
    assert again.status == 422 and again.body["code"] == "upload_not_ready"


@pytest.mark.parametrize("body", [
    {"subject": "Hi", "message": "Trop court, le sujet."},
    {"subject": "Un sujet", "message": ""},
    {"subject": "Un sujet", "message": "x" * 4001},
    {"subject": "Un sujet", "message": "Bonjour", "member_id": "2023004412"},
    {"subject": "Un sujet", "message": "Bonjour", "upload_ids": ["U20260101T000000-00000000"]},
    {"subject": "Un sujet", "message": "Bonjour", "upload_ids": ["a", "a"]},
])
def test_bad_input_gets_a_french_4xx_and_stores_nothing(api, body):
    before = len(stored(api, "THREAD#"))
    r = api.post("/support/threads", body, headers=idempotency())
    assert r.status in (400, 422), r.body
    assert r.body["message"] and r.body["code"] != "internal_error"
    assert len(stored(api, "THREAD#")) == before


def test_a_message_to_a_missing_conversation_is_404_and_stores_nothing(api):
    before = len(stored(api, "THREAD#"))
    r = api.post("/support/threads/T20260101T000000-00000000/messages", {"message": "Allô ?"},
                 headers=idempotency())
    assert r.status == 404
    assert len(stored(api, "THREAD#")) == before


def test_the_demo_shows_an_answered_and_a_waiting_conversation(api):
    items = api.get("/support/threads", query="limit=100").body["items"]
    subjects = {t["subject"]: t for t in items}
    answered = subjects["Carte de tiers payant pour la crèche"]
    assert answered["status"] == "answered" and answered["advisor_name"] == "Léo G."
    assert subjects["Changement de RIB pour les remboursements"]["status"] == "waiting"


def test_messages_of_the_same_second_keep_their_order(api, monkeypatch):
    """A question and its answer in the same second (a fast advisor, or a fast test): their ids
    tie on the time and their random suffixes must not decide the order."""
    import itertools
    from types import SimpleNamespace

    import time_machine

    from shared import clock

    # Frozen time, and each new id's random part smaller than the last: sorted by id, the
    # order would be reversed.
    suffixes = (f"{n:03x}0" for n in itertools.count(0xFFF, -1))
    monkeypatch.setattr("shared.ids.secrets", SimpleNamespace(token_hex=lambda n: next(suffixes)))
    with time_machine.travel(clock.now(), tick=False):
        thread = open_thread(api)
        opened = api.get(f"/support/advisor/threads/{ref(api, thread)}", user=ADVISOR).body
        answered = api.post(f"/support/advisor/threads/{ref(api, thread)}/messages",
                            {"version": opened["version"], "message": "Oui, envoyez le devis."},
                            user=ADVISOR)
        assert answered.status == 200, answered.body
        again = api.post(f"/support/threads/{thread['id']}/messages",
                         {"message": "Merci, je l'envoie."}, user=FATIMA, headers=idempotency())
        assert again.status == 201, again.body
    said = [f"{SECRET} : le <b>devis</b> est-il pris en charge ?", "Oui, envoyez le devis.",
            "Merci, je l'envoie."]
    read = api.get(f"/support/threads/{thread['id']}").body
    assert [m["text"] for m in read["messages"]] == said
    seen = api.get(f"/support/advisor/threads/{ref(api, thread)}", user=ADVISOR).body
    assert [m["text"] for m in seen["messages"]] == said
