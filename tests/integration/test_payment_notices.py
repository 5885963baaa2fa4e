"""What members get from the insurer's side: new payments marked « Nouveau » until seen, one
email a day at most listing them (no amount), « Je ne reconnais pas ce paiement », her
estimate beside the payment, the NOEMIE link on « Mon contrat »."""

from __future__ import annotations

import contextlib

import boto3
import pytest
from boto3.dynamodb.conditions import Key

from tests.helpers import idempotency, process
from tests.notices import notice_item

FATIMA, PAUL = "fatima.l@example.fr", "paul.m@example.fr"


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def member_id(api, user=FATIMA) -> str:
    return api.demo["members"][user]["member_id"]


def items(api, member: str, prefix: str) -> list[dict]:
    return table(api).query(KeyConditionExpression=Key("pk").eq(f"MEMBER#{member}")
                            & Key("sk").begins_with(prefix))["Items"]


def paid_claims(api, user=FATIMA, n=3) -> list[dict]:
    found = [c for c in api.get("/claims", query="limit=50", user=user).body["items"]
             if c["status"] == "paid" and c["mutual_cents"] > 0]
    assert len(found) >= n
    return found[:n]


def first_name(api, claim, user=FATIMA) -> str:
    me = api.get("/members/me", user=user).body
    return next(b["first_name"] for b in me["beneficiaries"] if b["id"] == claim["beneficiary_id"])


def new_payment(api, claim, user=FATIMA, paid_on=None) -> None:
    table(api).put_item(Item=notice_item(member_id(api, user), claim,
                                         first_name(api, claim, user), paid_on))


def run_digest(event=None) -> dict:
    from claims.notices import lambda_handler
    from infra.local.server import LambdaContext

    return lambda_handler(event or {}, LambdaContext(function_name="NoticesFunction",
                                                     aws_request_id="digest"))


@pytest.fixture()
def clean(api):
    """No notice, digest marker or outbox item left by another test of the module."""
    yield
    for user in (FATIMA, PAUL):
        for prefix in ("NOTICE#", "DIGEST#", "OUTBOX#"):
            for item in items(api, member_id(api, user), prefix):
                table(api).delete_item(Key={"pk": item["pk"], "sk": item["sk"]})


def test_a_new_payment_is_new_until_she_has_seen_it(api, clean):
    claim, other, _ = paid_claims(api)
    new_payment(api, claim)
    listed = {c["id"]: c["new"] for c in api.get("/claims", query="limit=50").body["items"]}
    assert listed[claim["id"]] is True and listed[other["id"]] is False
    assert api.get(f"/claims/{claim['id']}").body["new"] is True

    key = idempotency()
    seen = api.post("/claims/notices/seen", {"claim_ids": [claim["id"]]}, headers=key)
    assert seen.status == 200 and seen.body == {"claim_ids": [claim["id"]]}
    assert api.get(f"/claims/{claim['id']}").body["new"] is False
    # The same POST again (a retry) answers the same, and changes nothing.
    again = api.post("/claims/notices/seen", {"claim_ids": [claim["id"]]}, headers=key)
    assert again.status == 200 and again.body == seen.body
    assert not items(api, member_id(api), "NOTICE#")


def test_marking_all_as_seen_and_the_key_it_needs(api, clean):
    first, second, _ = paid_claims(api)
    new_payment(api, first)
    new_payment(api, second)
    missing = api.post("/claims/notices/seen", {})
    assert missing.status == 400 and "Idempotency-Key" in missing.body["fields"]
    done = api.post("/claims/notices/seen", {}, headers=idempotency())
    assert done.status == 200 and set(done.body["claim_ids"]) == {first["id"], second["id"]}
    assert not any(c["new"] for c in api.get("/claims", query="limit=50").body["items"])
    # Another member marks nothing of hers.
    new_payment(api, first)
    api.post("/claims/notices/seen", {}, headers=idempotency(), user=PAUL)
    assert api.get(f"/claims/{first['id']}").body["new"] is True


def test_the_daily_email_lists_new_payments_by_date_and_first_name_without_amounts(api, clean):
    from shared import clock

    first, second, _ = paid_claims(api)
    new_payment(api, first, paid_on="2026-11-02")
    new_payment(api, second, paid_on="2026-11-03")
    run = run_digest()
    assert run["emailed"] == 1 and run["notices"] == 2
    emails = [i for i in items(api, member_id(api), "OUTBOX#") if i["channel"] == "email"]
    assert len(emails) == 1
    detail = emails[0]["event"]["detail"]
    assert detail["to"] == "fatima.l@example.fr"
    body = detail["body"]
    assert "versement du 2 novembre 2026\u00a0: pour" in body
    assert "versement du 3 novembre 2026\u00a0: pour" in body
    assert first_name(api, first) in body and first_name(api, second) in body
    assert "€" not in body
    for claim in (first, second):
        assert claim["act_label"] not in body and str(claim["mutual_cents"]) not in body
    assert "/espace/remboursements/" in body
    # Emailed: out of the digest's index, still « Nouveau » until she opens it.
    for notice in items(api, member_id(api), "NOTICE#"):
        assert notice["emailed"] is True and "gsi3pk" not in notice
    assert api.get(f"/claims/{first['id']}").body["new"] is True
    assert items(api, member_id(api), f"DIGEST#{clock.today().isoformat()}")

    # A payment later the same day waits for tomorrow's email: one email a day at most.
    _, _, third = paid_claims(api)
    new_payment(api, third)
    run = run_digest()
    assert run["emailed"] == 0 and run["skipped"] == 1
    assert len([i for i in items(api, member_id(api), "OUTBOX#")
                if i["channel"] == "email"]) == 1
    assert "gsi3pk" in table(api).get_item(
        Key={"pk": f"MEMBER#{member_id(api)}", "sk": f"NOTICE#{third['id']}"})["Item"]


def test_no_email_for_a_member_who_chose_none(api, clean):
    profile = api.get("/members/profile", user=PAUL).body
    prefs = profile["preferences"]
    prefs["reimbursements"]["email"] = False
    changed = api.call("PUT", "/members/profile", user=PAUL, body={
        "version": profile["version"], "phone": profile["phone"],
        "address": {k: v for k, v in profile["address"].items() if k != "country"},
        "preferences": prefs})
    assert changed.status == 200, changed.body
    claim = paid_claims(api, PAUL, 1)[0]
    new_payment(api, claim, user=PAUL)
    run = run_digest()
    assert run["opted_out"] == 1 and run["emailed"] == 0
    assert not items(api, member_id(api, PAUL), "OUTBOX#")
    notice = items(api, member_id(api, PAUL), "NOTICE#")[0]
    assert "gsi3pk" not in notice and notice["emailed"] is False
    assert api.get(f"/claims/{claim['id']}", user=PAUL).body["new"] is True


def test_she_reports_a_payment_she_does_not_recognise_once(api, clean):
    claim = paid_claims(api)[0]
    detail = api.get(f"/claims/{claim['id']}").body
    assert detail["can_dispute"] is True and detail["dispute"] is None
    sent = api.post(f"/claims/{claim['id']}/dispute",
                    {"message": "Je n'ai pas ce soin dans mes papiers."}, headers=idempotency())
    assert sent.status == 201, sent.body
    assert sent.body["reference"].startswith("PN-")
    # A second report, whatever its key, answers the first one.
    twice = api.post(f"/claims/{claim['id']}/dispute", {}, headers=idempotency())
    assert twice.status == 201 and twice.body["id"] == sent.body["id"]
    mine = api.get("/support/requests", query="kind=payment_dispute").body["items"]
    assert [r["id"] for r in mine] == [sent.body["id"]]
    assert mine[0]["kind_label"] == "Paiement non reconnu"
    assert api.get(f"/claims/{claim['id']}").body["dispute"]["reference"] == \
        sent.body["reference"]
    events = [i["event"] for i in items(api, member_id(api), "OUTBOX#")
              if i["event"]["detail_type"] == "PaymentDisputed"]
    assert len(events) == 1
    assert events[0]["detail"] == {"request_id": sent.body["id"], "claim_id": claim["id"],
                                   "paid_on": claim["payment_date"],
                                   "amount_cents": claim["mutual_cents"]}
    # The advisors' queue has it, with the payment concerned.
    ref = f"{member_id(api)}_{sent.body['id']}"
    seen = api.get(f"/support/advisor/requests/{ref}", user="conseiller@example.fr").body
    facts = {d["label"]: d["value"] for d in seen["details"]}
    assert facts["Paiement concerné"] == claim["act_label"]
    assert facts["Montant versé"].replace("\u202f", " ").replace("\u00a0", " ") \
        .endswith("€") and facts["N° du remboursement"] == claim["id"]
    queue = api.get("/support/advisor/queue", query="status=sent&limit=100",
                    user="conseiller@example.fr").body["items"]
    assert any(q["reference"] == sent.body["reference"] for q in queue)
    # The advisor answers it like any request; she reads the answer in « Mes demandes ».
    done = process(api, {"id": sent.body["id"]}, "accept",
                   message="Ce paiement correspond à la consultation de Karim.")
    assert done["status"] == "processed"
    assert api.get(f"/support/requests/{sent.body['id']}").body["status_label"] == "Acceptée"


def test_a_report_on_another_members_payment_or_on_nothing_paid(api, clean):
    claim = paid_claims(api)[0]
    other = api.post(f"/claims/{claim['id']}/dispute", {}, headers=idempotency(), user=PAUL)
    assert other.status == 404
    nothing = next((c for c in api.get("/claims", query="limit=100").body["items"]
                    if c["mutual_cents"] == 0), None)
    assert nothing is not None
    refused = api.post(f"/claims/{nothing['id']}/dispute", {}, headers=idempotency())
    assert refused.status == 422 and "rien versé" in refused.body["message"]
    assert api.get(f"/claims/{nothing['id']}").body["can_dispute"] is False


def test_the_decompte_sets_her_estimate_beside_the_payment_line_by_line(api, clean):
    from domain.reimbursement import ClaimItem, claim_to_item
    from shared import clock

    claim = next(c for c in api.get("/claims", query="limit=100").body["items"]
                 if c["status"] == "paid" and c["act_code"] == "G")
    stored = table(api).get_item(Key={"pk": f"MEMBER#{member_id(api)}",
                                      "sk": f"CLAIM#{claim['care_date']}#{claim['id']}"})["Item"]
    # She estimated today's consultation; its payment comes back (the same care, today).
    today = clock.today()
    estimate = api.post("/claims/estimates", {
        "beneficiary_id": claim["beneficiary_id"], "act_code": "G",
        "care_date": today.isoformat(), "price_cents": 2500}, headers=idempotency())
    assert estimate.status == 201, estimate.body
    moved = ClaimItem.model_validate({**stored, "id": f"C{today:%Y%m%d}-0000abcd",
                                      "care_date": today.isoformat(),
                                      "payment_date": today.isoformat()})
    table(api).put_item(Item=claim_to_item(f"MEMBER#{member_id(api)}", moved))
    detail = api.get(f"/claims/{moved.id}").body
    compared = detail["estimate"]
    assert compared and compared["estimate_id"] == estimate.body["id"]
    lines = {ln["key"]: ln for ln in compared["lines"]}
    assert lines["real_cost"]["estimated_cents"] == 2500
    assert lines["real_cost"]["paid_cents"] == moved.real_cost_cents
    assert all(ln["explanation"] for ln in compared["lines"])
    if moved.real_cost_cents != 2500:
        assert "a facturé" in lines["real_cost"]["explanation"]
    assert compared["reasons"]
    # Another act, or no estimate: nothing to compare.
    assert api.get(f"/claims/{claim['id']}").body["estimate"] is None


def test_mon_contrat_shows_each_beneficiarys_noemie_link(api):
    beneficiaries = {b["name"]: b["noemie"] for b in api.get("/contract").body["beneficiaries"]}
    fatima, ines = beneficiaries["Fatima Lambert"], beneficiaries["Inès Lambert"]
    assert fatima["status"] == "active" and "active depuis le 15/01/2024" in fatima["label"]
    assert fatima["what_to_do"] == []
    assert ines["status"] == "inactive" and "non active" in ines["label"]
    assert any("décompte de la Sécurité sociale" in step for step in ines["what_to_do"])
    assert any("attestation de droits" in step for step in ines["what_to_do"])
    assert any("CPAM" in step for step in ines["what_to_do"])


def test_a_failing_table_during_the_digest_never_sends_twice_nor_loses_a_notice(api, clean):
    """Each AWS call of the digest fails in turn (the scheduler then runs it again): at most
    one email ever, and in the end one email with every notice."""
    from botocore.exceptions import ClientError

    from tests.helpers import aws_calls

    first, second, _ = paid_claims(api)
    new_payment(api, first)
    new_payment(api, second)

    def emails():
        return [i for i in items(api, member_id(api), "OUTBOX#") if i["channel"] == "email"]

    for failing in range(30):
        seen = [0]

        def fail(service, operation, params, failing=failing, seen=seen):
            seen[0] += 1
            if seen[0] - 1 == failing:
                return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                              "Message": "slow down"}}, operation)
            return None

        # A failed invocation raises; the schedule runs it again.
        with aws_calls(fail=fail), contextlib.suppress(Exception):
            run_digest()
        assert len(emails()) <= 1
    assert len(emails()) == 1
    assert "2 nouveaux remboursements" in emails()[0]["event"]["detail"]["body"]
    assert all(n["emailed"] is True and "gsi3pk" not in n
               for n in items(api, member_id(api), "NOTICE#"))
