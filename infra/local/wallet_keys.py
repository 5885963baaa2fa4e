"""Test keys of the card's wallet passes, made at each start of the local stack (and of the
integration tests' world), as the mutuelle's WalletSecret holds the real ones on AWS: a test
certificate authority standing for Apple's WWDR intermediate, a pass type certificate signed
by it with its key, and a Google Wallet service-account key. Nothing here is trusted by a real
phone; the tests verify signatures against these."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache

PASS_TYPE_ID = "pass.example.clairval.carte"  # noqa: S105 - an identifier
TEAM_ID = "CLAIRVAL01"
GOOGLE_ISSUER_ID = "3388000000000000001"
GOOGLE_EMAIL = "wallet-local@clairval-local.iam.gserviceaccount.com"


def _rsa():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem_key(key) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@lru_cache(maxsize=1)
def generate() -> str:
    """The secret's JSON (made once per process: RSA keys take a moment)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    # Fixed dates, read from no clock: the test certificates are valid whatever instant the
    # date sweep moves the clock to, and whenever openssl (real time) checks them.
    since, until = datetime(2020, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, tzinfo=UTC)
    ca_key, pass_key, google_key = _rsa(), _rsa(), _rsa()
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "Local test WWDR (not Apple)"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Espace Adherent local stack")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(since).not_valid_after(until)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    subject = x509.Name([
        x509.NameAttribute(NameOID.USER_ID, PASS_TYPE_ID),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Pass Type ID: {PASS_TYPE_ID}"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEAM_ID),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Mutuelle Clairval (test)")])
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                   .public_key(pass_key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(since).not_valid_after(until)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(x509.KeyUsage(
                       digital_signature=True, content_commitment=False,
                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                       key_cert_sign=False, crl_sign=False, encipher_only=False,
                       decipher_only=False), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.
                                                         EMAIL_PROTECTION]), critical=False)
                   .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    return json.dumps({
        "pass_type_id": PASS_TYPE_ID, "team_id": TEAM_ID,
        "pass_certificate": certificate.public_bytes(pem).decode(),
        "pass_key": _pem_key(pass_key),
        "wwdr_certificate": ca.public_bytes(pem).decode(),
        "google_issuer_id": GOOGLE_ISSUER_ID, "google_service_account_email": GOOGLE_EMAIL,
        "google_private_key": _pem_key(google_key), "google_key_id": "local-1",
        "google_public_key": google_key.public_key().public_bytes(
            pem, serialization.PublicFormat.SubjectPublicKeyInfo).decode()})
