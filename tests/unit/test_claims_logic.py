from datetime import date

from claims.logic.estimates import explain_gap
from claims.models import ClaimItem, EstimateItem, Practitioner, PractitionerIn, Totals
from members.logic.me import display_name
from support.logic.uploads import content_problem
from tests.helpers import sample_image, sample_pdf


def test_display_name_is_first_name_and_initial():
    assert display_name("Fatima", "Lambert") == "Fatima L."
    assert display_name(" Inès ", "de la Tour") == "Inès D."


def test_content_is_checked_by_opening_it():
    assert content_problem(sample_pdf(), "application/pdf") is None
    assert content_problem(sample_image("PNG"), "image/png") is None
    assert content_problem(sample_image("JPEG"), "image/jpeg") is None
    assert "PDF" in content_problem(b"%PDF-1.7 " + b"x" * 200, "application/pdf")
    assert "PNG" in content_problem(sample_image("PNG"), "image/jpeg")
    assert content_problem(b"\x89PNG\r\n\x1a\n" + b"\0" * 80, "image/png")
    assert content_problem(b"MZ\x90\x00", "image/jpeg")
    assert content_problem(b"", "application/pdf")


def _estimate(price, mutual, ss=1900, deductibles=200, sector=1, optam=True):
    return EstimateItem(
        id="E1", created_at="2026-01-01T10:00:00+01:00", beneficiary_id="B01",
        beneficiary_name="Fatima Lambert", act_code="CS", act_label="Consultation",
        category="consultation_specialist", care_date=date(2026, 5, 4), price_cents=price,
        quantity=1, practitioner=PractitionerIn(sector=sector, optam=optam),
        care_pathway=True, lines=[],
        totals=Totals(real_cost_cents=price, base_cents=3000, social_security_cents=ss,
                      deductibles_cents=deductibles, mutual_cents=mutual,
                      out_of_pocket_cents=price - ss - mutual,
                      ticket_moderateur_cents=3000 - ss - deductibles))


def _claim(price, mutual, ss=1900, deductibles=200, sector=1, optam=True):
    return ClaimItem(
        id="C20260504-00000000", care_date=date(2026, 5, 4), beneficiary_id="B01",
        beneficiary_name="Fatima Lambert", act_code="CS", act_label="Consultation",
        category="consultation_specialist", category_label="Spécialiste",
        practitioner=Practitioner(name="Dr X", sector=sector, optam=optam),
        real_cost_cents=price, base_cents=3000, social_security_cents=ss,
        deductibles_cents=deductibles, mutual_cents=mutual,
        out_of_pocket_cents=price - ss - mutual,
        ticket_moderateur_cents=3000 - ss - deductibles, status="paid")


def test_gap_explained_when_the_bill_and_the_practitioner_differ():
    reasons = explain_gap(_estimate(5000, 2600), _claim(7000, 1500, sector=2, optam=False))
    text = " ".join(reasons)
    assert "70,00" in text and "50,00" in text  # billed vs estimated
    assert "secteur 2" in text and "non adhérent" in text
    assert "de moins" in reasons[-1]


def test_no_gap_says_so():
    assert explain_gap(_estimate(3000, 900), _claim(3000, 900)) == [
        "Le remboursement correspond exactement à l'estimation."]
