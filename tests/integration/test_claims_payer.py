"""« 0,00 € · Payé » read as nothing paid (issue 18, « what a new user met » 3): the list says
who paid when the mutuelle paid nothing, and the décompte shows no versement to an account."""

PAUL = "paul.m@example.fr"


def claims(api, user="fatima.l@example.fr"):
    items = api.get("/claims", query="limit=100", user=user).body["items"]
    # « 100 % » keeps its non-breaking space (never « % » alone on a line); read as typed here.
    for c in items:
        if c["payer_note"]:
            assert "100\u00a0%" in c["payer_note"] or "100 %" not in c["payer_note"]
            c["payer_note"] = c["payer_note"].replace("\u00a0", " ")
    return items


def test_a_care_paid_in_full_by_the_assurance_maladie_says_so_in_the_list(api):
    listed = claims(api)
    nothing = [c for c in listed if c["mutual_cents"] == 0 and c["status"] == "paid"]
    assert nothing  # maternity, work accident and ALD cases of the seed
    assert all(c["payer_note"].startswith("Pris en charge à 100 % par l'Assurance Maladie")
               for c in nothing), nothing
    assert {c["payer_note"] for c in nothing} >= {
        "Pris en charge à 100 % par l'Assurance Maladie (maternité)",
        "Pris en charge à 100 % par l'Assurance Maladie (accident du travail)"}
    assert all(c["payer_note"] is None for c in listed if c["mutual_cents"] > 0)
    c2s = [c for c in claims(api, PAUL) if c["mutual_cents"] == 0 and c["status"] == "paid"]
    assert c2s and all("(Complémentaire santé solidaire)" in c["payer_note"] for c in c2s)


def test_its_decompte_names_no_account_credited(api):
    listed = claims(api)
    nothing = next(c for c in listed if c["mutual_cents"] == 0 and c["status"] == "paid")
    paid = next(c for c in listed if c["mutual_cents"] > 0 and c["status"] == "paid")
    assert api.get(f"/claims/{nothing['id']}").body["bank_account_masked"] is None
    assert api.get(f"/claims/{paid['id']}").body["bank_account_masked"]
