"""A software passkey authenticator for the Python tests: ES256 keys (`cryptography`), the
JSON a browser's `PublicKeyCredential.toJSON()` gives for a registration (attestation
`none`) and for a sign-in, and the ways an attacker would bend them (another origin, another
relying party, no user verification, an old sign count, a tampered byte)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Passkey:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


@dataclass
class SoftAuthenticator:
    origin: str
    passkeys: dict[bytes, Passkey] = field(default_factory=dict)
    counting: bool = True  # a security key counts its uses; many platform passkeys send 0

    def _flags(self, uv: bool) -> int:
        return UP | (UV if uv else 0)

    def register(self, options: dict, *, origin: str | None = None, rp_id: str | None = None,
                 uv: bool = True) -> dict:
        """What navigator.credentials.create() gives for `options` (CredentialCreationOptions
        as Cognito hands them), as RegistrationResponseJSON."""
        rp = rp_id or options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})
        credential_id = os.urandom(32)
        passkey = Passkey(credential_id, key, rp, unb64url(options["user"]["id"]))
        self.passkeys[credential_id] = passkey
        auth_data = (hashlib.sha256(rp.encode()).digest()
                     + bytes([self._flags(uv) | AT]) + struct.pack(">I", 0)
                     + bytes(16) + struct.pack(">H", len(credential_id)) + credential_id + cose)
        client_data = json.dumps({"type": "webauthn.create", "challenge": options["challenge"],
                                  "origin": origin or self.origin, "crossOrigin": False})
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": b64url(credential_id), "rawId": b64url(credential_id),
                "type": "public-key", "authenticatorAttachment": "platform",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(client_data.encode()),
                             "attestationObject": b64url(attestation),
                             "transports": ["internal", "hybrid"]}}

    def sign_in(self, options: dict | str, *, origin: str | None = None,
                rp_id: str | None = None, uv: bool = True, sign_count: int | None = None,
                credential_id: bytes | None = None) -> dict:
        """What navigator.credentials.get() gives for `options` (CREDENTIAL_REQUEST_OPTIONS,
        the JSON string or its object), as AuthenticationResponseJSON."""
        if isinstance(options, str):
            options = json.loads(options)
        allowed = [unb64url(c["id"]) for c in options.get("allowCredentials") or []]
        chosen = credential_id or next(c for c in allowed if c in self.passkeys)
        passkey = self.passkeys[chosen]
        if sign_count is None and self.counting:
            passkey.sign_count += 1
        count = passkey.sign_count if sign_count is None else sign_count
        rp = rp_id or options.get("rpId") or passkey.rp_id
        auth_data = (hashlib.sha256(rp.encode()).digest() + bytes([self._flags(uv)])
                     + struct.pack(">I", count if self.counting or sign_count else 0))
        client_data = json.dumps({"type": "webauthn.get", "challenge": options["challenge"],
                                  "origin": origin or self.origin,
                                  "crossOrigin": False}).encode()
        signature = passkey.key.sign(auth_data + hashlib.sha256(client_data).digest(),
                                     ec.ECDSA(hashes.SHA256()))
        return {"id": b64url(chosen), "rawId": b64url(chosen), "type": "public-key",
                "authenticatorAttachment": "platform", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(client_data),
                             "authenticatorData": b64url(auth_data),
                             "signature": b64url(signature),
                             "userHandle": b64url(passkey.user_handle)}}


def tampered(response: dict, part: str = "authenticatorData") -> dict:
    """The same response with one bit of `part` flipped (after it was signed)."""
    data = bytearray(unb64url(response["response"][part]))
    data[-1] ^= 0x01
    return {**response, "response": {**response["response"], part: b64url(bytes(data))}}
