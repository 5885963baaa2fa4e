"""What the emails about a request tell the member (issue 18, « what a new user met » 1 and 2):
the outcome and what to do, never a health detail nor an amount, the status she reads
« Acceptée » or « Refusée », and links to the one site address the stack is configured with."""

import json
import re
import time
import urllib.request

from tests.helpers import idempotency, process, sample_pdf, sent_mail, upload_file

FATIMA = "fatima.l@example.fr"



def mails_about(reference):
    """Newest first, read as typed (the emails' French non-breaking spaces made plain)."""
    return [{**m, "subject": plain(m["subject"]), "body": plain(m["body"])}
            for m in sent_mail() if reference in m["subject"]]


def plain(text):
    return text.replace("\u00a0", " ")


def test_a_colon_never_starts_a_line():
    from shared.french import spaced

    assert spaced("n° DR-1 : voir « Mes demandes ».") == \
        "n° DR-1\u00a0: voir «\u00a0Mes demandes\u00a0»."


def send_other(api, category="other", subject="Une question sur mon contrat"):
    r = api.post("/support/requests/other", {
        "category": category, "subject": subject,
        "message": "Bonjour, pouvez-vous m'aider ?"}, headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def test_an_accepted_reimbursement_says_accepted_sent_for_payment_never_paid(api):
    """Accepting sends it for payment: « Transmise pour paiement », still open, and the email
    says accepted and sent for payment, where to follow it, never that it is paid."""
    upload = upload_file(api, sample_pdf())
    sent = api.post("/support/requests/reimbursement", {
        "beneficiary_id": "B02", "act_code": "G", "care_date": "2026-11-20",
        "amount_cents": 4321, "upload_ids": [upload]}, headers=idempotency()).body
    done = process(api, sent, "accept", "Votre consultation du généraliste est acceptée.")
    assert done["status_label"] == "Transmise pour paiement"
    mine = api.get(f"/support/requests/{sent['id']}").body
    assert mine["status"] == "payment_requested"
    assert api.get("/support/requests", query="status=payment_requested").body["items"][0][
        "status_label"] == "Transmise pour paiement"

    last = mails_about(sent["reference"])[0]  # newest first
    assert last["subject"] == (f"Votre demande n° {sent['reference']} est acceptée et "
                               "transmise pour paiement")
    body = last["body"]
    assert "acceptée et transmise pour paiement" in body and "« Mes remboursements »" in body
    assert "en cours de traitement" in body
    assert "remboursée" not in body and "versé " not in body
    assert f"/espace/demandes/detail/?id={sent['id']}" in body
    # Never the advisor's message, a health detail nor an amount.
    assert "généraliste" not in body and "€" not in body and "43,21" not in body


def test_information_asked_says_what_to_do_but_never_the_question(api):
    sent = send_other(api)
    asked = process(api, sent, "ask", "Quel est le nom de votre cardiologue ?")
    assert asked["status"] == "info_needed"
    mail = mails_about(sent["reference"])[0]
    assert "besoin d'informations" in mail["subject"]
    body = mail["body"]
    assert "cardiologue" not in body
    assert "répondez" in body and "« Mes demandes »" in body
    assert f"/espace/demandes/detail/?id={sent['id']}" in body


def test_a_refusal_says_refused_and_what_she_can_do(api):
    sent = send_other(api)
    done = process(api, sent, "refuse", "Votre contrat ne couvre pas les cures thermales.")
    assert done["status_label"] == "Refusée"
    mail = mails_about(sent["reference"])[0]
    assert mail["subject"] == f"Votre demande n° {sent['reference']} a été refusée"
    body = mail["body"]
    assert "thermales" not in body
    assert "motif" in body and "réclamation" in body and "« Mes documents »" in body

    complaint = send_other(api, category="complaint", subject="Un délai trop long")
    process(api, complaint, "refuse", "Le délai était conforme.")
    assert "médiateur" in mails_about(complaint["reference"])[0]["body"]


def test_the_local_stack_links_every_email_to_its_own_address(local_stack):
    """Request emails linked to https://espace-adherent.example.fr while the payment email
    linked to the stack: one site address now, the stack's."""
    from tests.integration.test_local_stack import api as call
    from tests.integration.test_local_stack import token

    tok = token(local_stack)
    status, sent = call(local_stack, "POST", "/support/requests/other", tok, {
        "category": "other", "subject": "Une question", "message": "Bonjour."}, idempotency())
    assert status == 201, sent
    # The email leaves through the outbox: the stack's stream and queue pollers send it.
    deadline = time.monotonic() + 20
    while True:
        with urllib.request.urlopen(f"{local_stack.base_url}/local/courriels.json") as answer:
            mails = json.loads(answer.read())["items"]
        mine = [m for m in mails if sent["reference"] in m["subject"]]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert mine
    links = [link for m in mails for link in re.findall(r"https?://\S+", m["body"])]
    assert any(f"/espace/demandes/detail/?id={sent['id']}" in link for link in links)
    assert links and all(link.startswith(local_stack.base_url + "/") for link in links), links
