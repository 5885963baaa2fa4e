"""The Google Wallet « save » link of the card: a JWT signed (RS256) with the issuer's
service-account key, carrying one generic object (Google's « Generic pass »). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from contract.logic.wallet_content import PassContent
from shared.dates import PARIS

SAVE_URL = "https://pay.google.com/gp/v/save/"
CLASS_SUFFIX = "carte_tiers_payant"


@dataclass(frozen=True)
class GoogleKeys:
    issuer_id: str
    service_account_email: str
    private_key_pem: str
    key_id: str | None = None


def object_id(keys: GoogleKeys, serial: str) -> str:
    return f"{keys.issuer_id}.{serial}"


def generic_object(content: PassContent, *, keys: GoogleKeys, serial: str,
                   brand_name: str) -> dict:
    def text(value: str) -> dict:
        return {"defaultValue": {"language": "fr-FR", "value": value}}

    modules = [{"id": f.key, "header": f.label, "body": f.value}
               for f in (*content.secondary, *content.auxiliary, *content.back)]
    data: dict = {
        "id": object_id(keys, serial),
        "classId": f"{keys.issuer_id}.{CLASS_SUFFIX}",
        "genericType": "GENERIC_TYPE_UNSPECIFIED",
        "hexBackgroundColor": "#14416e",
        "cardTitle": text(brand_name),
        "header": text(content.primary[0].value if not content.voided else content.title),
        "subheader": text(content.primary[0].label if not content.voided else "Carte"),
        "textModulesData": modules,
        "state": "INACTIVE" if content.voided else "ACTIVE",
    }
    if content.qr_message:
        data["barcode"] = {"type": "QR_CODE", "value": content.qr_message,
                           "alternateText": "Vérifier la carte"}
    if content.valid_from and content.valid_to and not content.voided:
        data["validTimeInterval"] = {
            "start": {"date": datetime.combine(content.valid_from, time(0, 0), PARIS).isoformat()},
            "end": {"date": content.expires_at}}
    return data


def save_jwt(obj: dict, *, keys: GoogleKeys, origins: list[str], issued_at: int) -> str:
    import jwt

    claims = {"iss": keys.service_account_email, "aud": "google", "typ": "savetowallet",
              "iat": issued_at, "origins": origins, "payload": {"genericObjects": [obj]}}
    headers = {"kid": keys.key_id} if keys.key_id else None
    return jwt.encode(claims, keys.private_key_pem, algorithm="RS256", headers=headers)


def save_url(token: str) -> str:
    return SAVE_URL + token
