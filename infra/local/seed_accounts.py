"""The demo's side of « Mes infos perso » and the account's life: the members' postal
addresses and phones, and members of the mutuelle who have no account yet (they create it
with « Je n'ai pas encore de compte »: member number, birth date and the email on file)."""

from __future__ import annotations

from datetime import date

from domain.membership import ContactPreferences, PostalAddress

CONTACT = {
    "2024001871": (PostalAddress(line1="14 rue des Capucins", postcode="69001", city="Lyon"),
                   "06 12 34 56 78",
                   ContactPreferences.model_validate({"news": {"email": True},
                                                      "reimbursements": {"email": True}})),
    "2023004412": (PostalAddress(line1="3 place Kléber", line2="Appartement 12",
                                 postcode="67000", city="Strasbourg"), "03 88 12 34 56",
                   ContactPreferences.model_validate({"reimbursements": {"post": True}})),
}


def without_account(today: date) -> list[dict]:
    """Members on file with no account: the first for the demo (README), the second for the
    end-to-end tests on a phone. Birth dates are fixed: they are what she types."""
    return [
        {"member_id": "2025000318", "first_name": "Claire", "last_name": "Dubois",
         "email": "claire.d@example.fr", "birth_date": date(1979, 2, 17),
         "formula_id": "integrale", "formula_label": "Intégrale", "sex": 2, "dept": "33",
         "address": PostalAddress(line1="8 cours de l'Intendance", postcode="33000",
                                  city="Bordeaux"),
         "iban": "FR7630006000011234567890189"},
        {"member_id": "2025000529", "first_name": "Hugo", "last_name": "Garnier",
         "email": "hugo.g@example.fr", "birth_date": date(1995, 8, 30),
         "formula_id": "essentielle", "formula_label": "Essentielle", "sex": 1, "dept": "44",
         "address": PostalAddress(line1="21 quai de la Fosse", postcode="44000",
                                  city="Nantes"),
         "iban": "FR7630006000011234567890189"},
    ]


def contact(member_id: str, today: date) -> dict:
    """What her profile says beyond her name: address, phone, contact preferences."""
    if member_id in CONTACT:
        address, phone, preferences = CONTACT[member_id]
        return {"address": address, "phone": phone, "preferences": preferences}
    found = next((m for m in without_account(today) if m["member_id"] == member_id), None)
    return {"address": found["address"]} if found else {}


DEMO_WITHOUT_ACCOUNT = [("2025000318", "1979-02-17", "claire.d@example.fr",
                         "Claire Dubois, formule Intégrale")]
