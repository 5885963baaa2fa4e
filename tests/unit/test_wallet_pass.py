"""The card's wallet passes, built from a card (no network): the .pkpass's manifest and its
detached PKCS#7 signature (checked by OpenSSL against the test WWDR authority, and by hand
against the pass certificate), the Google save JWT decoded with the issuer's public key, and
what a voided pass keeps back."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import date

import jwt
import pytest

from contract.logic.wallet_apple import AppleKeys, pass_json, pkpass
from contract.logic.wallet_content import of_card, voided
from contract.logic.wallet_google import GoogleKeys, generic_object, save_jwt, save_url
from contract.models import CardHolder, CardOut
from tests.wallet_helpers import secret, unzip

CHECK = "https://espace-adherent.example.fr/verifier-carte/?c=AbCdEfGhIjKlMnOpQrStUv"


@pytest.fixture(scope="module")
def keys() -> dict:
    return secret()


def apple_keys(raw: dict) -> AppleKeys:
    return AppleKeys(pass_type_id=raw["pass_type_id"], team_id=raw["team_id"],
                     certificate_pem=raw["pass_certificate"], key_pem=raw["pass_key"],
                     wwdr_pem=raw["wwdr_certificate"])


def card(**changes) -> CardOut:
    base = CardOut(
        brand_name="Mutuelle Clairval", amc_number="99001234", convention_type="TP-CLAIRVAL",
        routing="SP", member_number="2024001871", valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31), responsable=True,
        holders=[CardHolder(name="Fatima Lambert", rank="01", birth_date=date(1987, 3, 12),
                            regime_label="Régime général"),
                 CardHolder(name="Inès Lambert", rank="03", birth_date=date(2017, 6, 2),
                            regime_label="Régime général")],
        tiers_payant_phone="01 99 00 12 34", check_url=CHECK, qr_data_url="data:x")
    return base.model_copy(update=changes)


def build(keys: dict, content=None) -> bytes:
    data = pass_json(content or of_card(card()), keys=apple_keys(keys), serial="S3r1al-0001",
                     token="t" * 32, web_service_url="https://x.example/api/public/wallet/apple",
                     organization="Mutuelle Clairval")
    return pkpass(data, apple_keys(keys))


def test_the_manifest_lists_each_files_sha1(keys):
    files = unzip(build(keys))
    manifest = json.loads(files["manifest.json"])
    assert set(manifest) == set(files) - {"manifest.json", "signature"}
    for name, digest in manifest.items():
        assert hashlib.sha1(files[name]).hexdigest() == digest  # noqa: S324 - Apple's format
    assert files["icon.png"].startswith(b"\x89PNG") and files["logo.png"].startswith(b"\x89PNG")


def test_the_pass_json_carries_the_paper_card(keys):
    p = json.loads(unzip(build(keys))["pass.json"])
    assert p["formatVersion"] == 1 and p["serialNumber"] == "S3r1al-0001"
    assert p["passTypeIdentifier"] == keys["pass_type_id"] and p["teamIdentifier"] == "CLAIRVAL01"
    assert p["barcodes"] == [{"format": "PKBarcodeFormatQR", "message": CHECK,
                              "messageEncoding": "iso-8859-1", "altText": "Vérifier la carte"}]
    fields = {f["key"]: f["value"] for part in p["generic"].values() for f in part}
    assert fields["member"] == "2024001871" and fields["amc"] == "99001234"
    assert fields["convention"] == "TP-CLAIRVAL" and fields["routing"] == "SP"
    assert fields["validity"] == "du 01/01/2026 au 31/12/2026"
    assert fields["responsable"] == "R – responsable" and fields["tp"] == "01 99 00 12 34"
    assert fields["holder0"].startswith("Fatima Lambert, né(e) le 12/03/1987")
    assert p["expirationDate"] == "2026-12-31T23:59:59+01:00"
    assert "voided" not in p


def test_openssl_verifies_the_detached_signature(keys, tmp_path):
    files = unzip(build(keys))
    (tmp_path / "manifest.json").write_bytes(files["manifest.json"])
    (tmp_path / "signature").write_bytes(files["signature"])
    (tmp_path / "wwdr.pem").write_text(keys["wwdr_certificate"])
    args = ["openssl", "smime", "-verify", "-binary", "-inform", "DER", "-in",
            str(tmp_path / "signature"), "-content", str(tmp_path / "manifest.json"),
            "-CAfile", str(tmp_path / "wwdr.pem"), "-purpose", "any", "-out", "/dev/null"]
    signer = tmp_path / "signer.pem"
    done = subprocess.run([*args, "-signer", str(signer)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    # Signed by the pass type certificate itself.
    assert signer.read_text().strip() == keys["pass_certificate"].strip()
    # A manifest changed after signing is refused.
    (tmp_path / "manifest.json").write_bytes(files["manifest.json"].replace(b"{", b"{ ", 1))
    assert subprocess.run(args, capture_output=True, check=False).returncode != 0


def test_the_signature_is_the_pass_certificates_with_the_wwdr_in_it(keys):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs7

    files = unzip(build(keys))
    carried = pkcs7.load_der_pkcs7_certificates(files["signature"])
    subjects = {c.subject.rfc4514_string() for c in carried}
    certificate = x509.load_pem_x509_certificate(keys["pass_certificate"].encode())
    wwdr = x509.load_pem_x509_certificate(keys["wwdr_certificate"].encode())
    assert subjects == {certificate.subject.rfc4514_string(), wwdr.subject.rfc4514_string()}
    # The signed attributes' message digest is the manifest's (the detached content).
    digest = hashlib.sha256(files["manifest.json"]).digest()
    assert digest in files["signature"]
    assert files["manifest.json"] not in files["signature"]  # detached: not carried


def test_a_voided_pass_shows_nothing_of_her(keys):
    content = voided("Mutuelle Clairval", "Le contrat de cette carte a pris fin.")
    p = json.loads(unzip(build(keys, content))["pass.json"])
    assert p["voided"] is True and "barcodes" not in p
    text = json.dumps(p, ensure_ascii=False)
    for secret_bit in ("Lambert", "2024001871", "1987", "99001234"):
        assert secret_bit not in text


def test_the_version_changes_with_the_card_only():
    assert of_card(card()).version() == of_card(card()).version()
    more = card(holders=[*card().holders, CardHolder(
        name="Lina Lambert", rank="09", birth_date=date(2026, 5, 1),
        regime_label="Régime général")])
    assert of_card(more).version() != of_card(card()).version()
    assert of_card(card(valid_to=date(2026, 6, 30))).version() != of_card(card()).version()


def test_the_google_save_jwt_decodes_with_the_issuers_public_key(keys):
    google = GoogleKeys(issuer_id=keys["google_issuer_id"],
                        service_account_email=keys["google_service_account_email"],
                        private_key_pem=keys["google_private_key"], key_id="local-1")
    obj = generic_object(of_card(card()), keys=google, serial="S3r1al-0002",
                         brand_name="Mutuelle Clairval")
    token = save_jwt(obj, keys=google, origins=["https://espace-adherent.example.fr"],
                     issued_at=1_790_000_000)
    assert save_url(token) == f"https://pay.google.com/gp/v/save/{token}"
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "local-1",
                                                "typ": "JWT"}
    claims = jwt.decode(token, keys["google_public_key"], algorithms=["RS256"],
                        audience="google")
    assert claims["iss"] == keys["google_service_account_email"]
    assert claims["typ"] == "savetowallet"
    assert claims["origins"] == ["https://espace-adherent.example.fr"]
    sent = claims["payload"]["genericObjects"][0]
    assert sent["id"] == f"{keys['google_issuer_id']}.S3r1al-0002"
    assert sent["classId"] == f"{keys['google_issuer_id']}.carte_tiers_payant"
    assert sent["barcode"]["value"] == CHECK and sent["state"] == "ACTIVE"
    assert sent["validTimeInterval"]["end"]["date"] == "2026-12-31T23:59:59+01:00"
    modules = {m["id"]: m["body"] for m in sent["textModulesData"]}
    assert modules["holder1"].startswith("Inès Lambert, né(e) le 02/06/2017")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, keys["google_public_key"], algorithms=["RS256"],
                   audience="google")
