"""A reimbursement request's detail shows the answers the member gave (issue 18, « what a new
user met » 11): the practitioner's sector, OPTAM and the care pathway, to her and to the
advisor; and nothing she was not asked."""

from datetime import timedelta

from shared import clock
from tests.helpers import ADVISOR, advisor_ref, idempotency, sample_pdf, upload_file


def send(api, **care):
    body = {"beneficiary_id": "B01", "care_date": (clock.today() - timedelta(days=4)).isoformat(),
            "amount_cents": 7000, "upload_ids": [upload_file(api, sample_pdf())], **care}
    r = api.post("/support/requests/reimbursement", body,
                 headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def facts(detail):
    return {d["label"]: d["value"] for d in detail["details"]}


def test_the_optam_and_care_pathway_answers_are_shown_to_her_and_the_advisor(api):
    sent = send(api, act_code="CS", practitioner={"sector": 2, "optam": False},
                care_pathway=False)
    mine = facts(api.get(f"/support/requests/{sent['id']}").body)
    advisor = facts(api.get(f"/support/advisor/requests/{advisor_ref(api, sent)}",
                            user=ADVISOR).body)
    for shown in (facts(sent), mine, advisor):
        assert shown["Professionnel de santé"].startswith("Secteur 2")
        assert shown["Médecin adhérent à l'OPTAM"] == "Non"
        assert shown["Parcours de soins coordonnés"] == "Non"

    followed = facts(send(api, act_code="CS", practitioner={"sector": 2, "optam": True},
                          care_pathway=True))
    assert followed["Médecin adhérent à l'OPTAM"] == "Oui"
    assert followed["Parcours de soins coordonnés"] == "Oui"

    # « Je ne sais pas » stays what she answered (it was shown as « Non »).
    unknown = send(api, act_code="CS", practitioner={"sector": 2, "optam": None})
    assert facts(unknown)["Médecin adhérent à l'OPTAM"].startswith("Je ne sais pas")
    split = api.get(f"/support/advisor/requests/{advisor_ref(api, unknown)}",
                    user=ADVISOR).body["split"]
    assert split["totals"]["real_cost_cents"] == 7000


def test_questions_she_was_not_asked_are_not_shown(api):
    shown = facts(send(api, act_code="PH7", amount_cents=840))
    # A pharmacy has no sector: « Secteur 1 » (the default) was shown all the same.
    assert not [label for label in shown if label.startswith("Professionnel")]
    assert "Médecin adhérent à l'OPTAM" not in shown
    assert "Parcours de soins coordonnés" not in shown
