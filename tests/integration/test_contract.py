"""« Mon contrat »: the contract and its beneficiaries, the card and its public check, the
guarantees from the engine, the contributions, and the changes (bank details, beneficiary,
portabilité) filed as requests that advisors accept (issue 10)."""

from datetime import date, timedelta

import pytest

from shared import clock
from tests.helpers import idempotency, process, sample_pdf, sent_mail, upload_file

PAUL = "paul.m@example.fr"
NEW_IBAN = "FR7630006000011234567890189"


def test_the_contract_shows_the_formula_the_family_and_their_situations(api):
    c = api.get("/contract").body
    assert c["formula_label"] == "Équilibre" and c["collective"] and c["responsable"]
    assert c["contribution_account"].startswith("FR14") and "•" in c["contribution_account"]
    family = {b["name"].split()[0]: b for b in c["beneficiaries"]}
    assert any("Diabète de type 2" in s for s in family["Karim"]["situations"])
    assert any("maternité" in s.lower() for s in family["Fatima"]["situations"])
    assert c["late_instalments"] == 1
    paul = api.get("/contract", user=PAUL).body
    assert paul["beneficiaries"][0]["regime_label"] == "Régime local d'Alsace-Moselle"
    assert any("solidaire" in s for s in paul["beneficiaries"][0]["situations"])


def test_the_card_and_its_public_check_say_only_what_is_needed(api):
    card = api.get("/contract/card").body
    assert card["member_number"] == "2024001871" and card["responsable"]
    assert card["amc_number"] and card["convention_type"] and card["routing"]
    assert card["valid_to"] == f"{clock.today().year}-12-31"
    # Her family as her file has it (another test of this module may have added a child).
    family = [f"{b['first_name']} {b['last_name']}"
              for b in api.get("/members/me").body["beneficiaries"]]
    assert [h["name"] for h in card["holders"]] == family
    assert family[:3] == ["Fatima Lambert", "Karim Lambert", "Inès Lambert"]
    assert card["qr_data_url"].startswith("data:image/svg+xml;base64,")
    code = card["check_url"].rsplit("c=", 1)[1]
    assert api.get("/contract/card").body["check_url"] == card["check_url"]  # made once
    check = api.call("GET", f"/public/cards/{code}", claims={})
    assert check.status == 200 and check.body["valid"]
    assert check.body["holders"][:3] == ["F. L. (1987)", "K. L. (1985)",
                                         f"I. L. ({clock.today().year - 9})"]
    assert len(check.body["holders"]) == len(family)
    assert "Lambert" not in str(check.body) and "2024001871" not in str(check.body)
    assert api.call("GET", "/public/cards/" + "x" * 24, claims={}).status == 404
    assert api.call("GET", "/public/cards/short", claims={}).status == 404


def test_the_card_as_a_pdf(api):
    r = api.post("/contract/card/exports")
    assert r.status == 201 and r.body["filename"].endswith(".pdf")


def test_guarantees_come_from_the_engine_with_examples(api):
    g = api.get("/contract/guarantees").body
    assert g["formula_label"] == "Équilibre"
    labels = [c["label"] for c in g["categories"]]
    assert labels == ["Soins courants", "Hospitalisation", "Optique", "Dentaire",
                      "Aides auditives", "Médecines douces", "Prévention"]
    gp = g["categories"][0]["lines"][0]
    assert gp["example"]["price_cents"] == 3000
    assert gp["example"]["social_security_cents"] + gp["example"]["mutual_cents"] + \
        gp["example"]["out_of_pocket_cents"] == 3000
    # The table and an estimate of the same care agree.
    est = api.post("/claims/estimates", {"beneficiary_id": "B02", "act_code": "G",
                                         "care_date": clock.today().isoformat(),
                                         "price_cents": 3000}, headers=idempotency()).body
    assert est["totals"]["social_security_cents"] == gp["example"]["social_security_cents"]


def test_contributions_highlight_the_late_instalment(api):
    c = api.get("/contract/contributions").body
    assert c["instalments"][0]["status"] == "late" and c["late_cents"] == 14680
    assert all(i["status"] != "late" for i in c["instalments"][1:])
    assert api.get("/contract/contributions", user=PAUL).body["late_cents"] == 0


@pytest.mark.parametrize("iban, valid, words", [
    ("FR76 3000 6000 0112 3456 7890 189", True, "IBAN valide"),
    ("FR7630006000011234567890188", False, "pas valide"),
    ("US12345678", False, "pas valide"),
    ("BR1800360305000010009795493C1", False, "zone SEPA"),
])
def test_iban_check(api, iban, valid, words):
    r = api.post("/contract/iban-checks", {"iban": iban})
    assert r.status == 200 and r.body["valid"] is valid and words in r.body["message"]


def test_new_bank_details_wait_for_an_advisor_and_tell_the_address_on_file(api):
    doc = upload_file(api, sample_pdf("RIB"))
    body = {"target": "benefit", "beneficiary_id": "B03", "iban": NEW_IBAN,
            "holder": "Fatima  Lambert", "password": "pas-le-bon", "upload_ids": [doc]}
    wrong = api.post("/contract/bank-details", body, headers=idempotency())
    assert wrong.status == 422 and "password" in wrong.body["fields"]
    bad = api.post("/contract/bank-details", {**body, "iban": "FR7630006000011234567890188",
                                              "password": "Demo-Adherent-2026!"},
                   headers=idempotency())
    assert bad.status == 422 and "iban" in bad.body["fields"]
    before = len(sent_mail())
    filed = api.post("/contract/bank-details", {**body, "password": "Demo-Adherent-2026!"},
                     headers=idempotency())
    assert filed.status == 201, filed.body
    assert NEW_IBAN not in str(filed.body)
    warning = sent_mail()[:len(sent_mail()) - before]
    assert any("coordonnées bancaires" in m["subject"] for m in warning)
    assert all(NEW_IBAN not in m["body"] and "0189" not in m["body"] for m in warning)
    seen = api.get(f"/support/requests/{filed.body['id']}").body
    assert NEW_IBAN not in str(seen)
    assert seen["subject"] == "Nouveau compte pour les remboursements d'Inès Lambert"
    # The advisor sees where it came from, then accepts: the masked new account shows.
    ref = f"2024001871_{filed.body['id']}"
    advisor = api.get(f"/support/advisor/requests/{ref}", user="conseiller@example.fr").body
    facts = {d["label"]: d["value"] for d in advisor["details"]}
    assert "Demandé depuis" in facts and facts["Titulaire"] == "Fatima Lambert"
    process(api, filed.body)
    ines = next(b for b in api.get("/contract").body["beneficiaries"] if b["id"] == "B03")
    assert ines["benefit_account"].endswith("189") and "•" in ines["benefit_account"]


def test_adding_a_child_through_a_request(api):
    doc = upload_file(api, sample_pdf("Acte de naissance"))
    birth = (clock.today() - timedelta(days=60)).isoformat()
    bad_nir = api.post("/contract/beneficiaries", {
        "first_name": "Noé", "last_name": "Lambert", "birth_date": birth,
        "relationship": "child", "nir": "1234567890123", "upload_ids": [doc]},
        headers=idempotency())
    assert bad_nir.status == 422 and "nir" in bad_nir.body["fields"]
    filed = api.post("/contract/beneficiaries", {
        "first_name": "Noé", "last_name": "Lambert", "birth_date": birth,
        "relationship": "child", "upload_ids": [doc]}, headers=idempotency())
    assert filed.status == 201
    process(api, filed.body)
    names = [b["name"] for b in api.get("/contract").body["beneficiaries"]]
    assert "Noé Lambert" in names
    assert "Noé Lambert" in [h["name"] for h in api.get("/contract/card").body["holders"]]
    me = api.get("/members/me").body
    assert any(b["first_name"] == "Noé" for b in me["beneficiaries"])


def test_portability_says_before_sending_whether_and_until_when(api):
    end = clock.today() - timedelta(days=15)
    body = {"employment_start": (end - timedelta(days=200)).isoformat(),
            "employment_end": end.isoformat(), "reason": "end_of_fixed_term",
            "unemployment_benefit": True}
    ok = api.post("/contract/portability/eligibility", body).body
    assert ok["eligible"] and ok["months"] == 7
    assert date.fromisoformat(ok["until"]) > end
    long = api.post("/contract/portability/eligibility",
                    {**body, "employment_start": "2015-01-01"}).body
    assert long["months"] == 12
    for changes, words in [({"reason": "gross_misconduct"}, "faute lourde"),
                           ({"unemployment_benefit": False}, "allocation chômage")]:
        no = api.post("/contract/portability/eligibility", {**body, **changes}).body
        assert not no["eligible"] and any(words in r for r in no["reasons"])
    individual = api.post("/contract/portability/eligibility", body, user=PAUL).body
    assert not individual["eligible"]
    doc = upload_file(api, sample_pdf("Attestation France Travail"))
    filed = api.post("/contract/portability", {**body, "upload_ids": [doc]}, headers=idempotency())
    assert filed.status == 201
    process(api, filed.body)
    assert api.get("/contract").body["portability"]["end"] == ok["until"]
