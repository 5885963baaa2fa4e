"""A care the Assurance Maladie paid in full (maternity, work accident, C2S...) is no
« versement » of 0,00 € to the member's account (issue 18, « what a new user met » 3)."""

from datetime import date

from claims.logic.statement_render import render_csv, render_pdf

from .conftest import ACCOUNT, _line

OTHER = "FR14 •••• •••• •••• •••• •••• 606"


def maternity(**over):
    return _line(claim_id="c9", care_date=date(2026, 1, 20), beneficiary_id="b-marie",
                 beneficiary_name="Marie Martin", act_code="G",
                 act_label="Consultation médecin généraliste", real_cost_cents=3000,
                 base_cents=3000, social_security_cents=3000, deductibles_cents=0,
                 mutual_cents=0, out_of_pocket_cents=0, payment_date=date(2026, 1, 24),
                 bank_account_masked=OTHER, **over)


def text_of(pdf_text, statement):
    return "\n".join(pdf_text(render_pdf(statement, compress=False))).replace("\u00a0", " ")


def test_a_period_paid_in_full_by_the_assurance_maladie_shows_no_versement(statement,
                                                                          pdf_text):
    only = statement.model_copy(update={"lines": [maternity()]})
    text = text_of(pdf_text, only)
    assert "Versements sur le compte" not in text and "0,00 € " not in text.split(
        "Versements de la mutuelle")[1]
    assert "Aucun versement de la mutuelle sur cette période" in text
    row = render_csv(only).decode("utf-8-sig").splitlines()[1].split(";")
    assert row[-1] == ""  # no account credited


def test_a_line_without_payment_adds_no_account_to_the_versements(statement, pdf_text):
    mixed = statement.model_copy(update={"lines": [*statement.lines, maternity()]})
    text = text_of(pdf_text, mixed)
    assert f"Versements sur le compte {ACCOUNT}" in text
    assert f"Versements sur le compte {OTHER}" not in text
