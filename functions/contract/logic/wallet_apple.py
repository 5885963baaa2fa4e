"""The Apple Wallet pass (`.pkpass`) of the card: a zip of pass.json, its images, a manifest
of their SHA-1 digests and a detached PKCS#7 signature of the manifest, made with the pass type
certificate and key and carrying Apple's WWDR intermediate certificate (Apple's « Building a
pass »). Pure: the keys and the content come in, the bytes go out."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from contract.logic.wallet_content import PassContent


@dataclass(frozen=True)
class AppleKeys:
    pass_type_id: str
    team_id: str
    certificate_pem: str
    key_pem: str
    wwdr_pem: str


def pass_json(content: PassContent, *, keys: AppleKeys, serial: str, token: str,
              web_service_url: str, organization: str) -> dict:
    def field(key: str, label: str, value: str) -> dict:
        return {"key": key, "label": label, "value": value}

    data: dict = {
        "formatVersion": 1,
        "passTypeIdentifier": keys.pass_type_id,
        "teamIdentifier": keys.team_id,
        "serialNumber": serial,
        "organizationName": organization,
        "description": content.description,
        "logoText": organization,
        "foregroundColor": "rgb(255, 255, 255)",
        "backgroundColor": "rgb(20, 65, 110)",
        "labelColor": "rgb(220, 232, 245)",
        "webServiceURL": web_service_url,
        "authenticationToken": token,
        "sharingProhibited": True,
        "generic": {
            "headerFields": [field(f.key, f.label, f.value) for f in content.header],
            "primaryFields": [field(f.key, f.label, f.value) for f in content.primary],
            "secondaryFields": [field(f.key, f.label, f.value) for f in content.secondary],
            "auxiliaryFields": [field(f.key, f.label, f.value) for f in content.auxiliary],
            "backFields": [field(f.key, f.label, f.value) for f in content.back],
        },
    }
    if content.voided:
        data["voided"] = True
    if content.qr_message:
        data["barcodes"] = [{"format": "PKBarcodeFormatQR", "message": content.qr_message,
                             "messageEncoding": "iso-8859-1",
                             "altText": "Vérifier la carte"}]
    if content.expires_at:
        data["expirationDate"] = content.expires_at
    return data


@lru_cache(maxsize=1)
def images() -> dict[str, bytes]:
    """icon.png (29 pt), icon@2x.png and logo.png (160×50 pt max): a plain mark drawn once per
    container (Pillow comes with the PDF layer)."""
    from PIL import Image, ImageDraw

    def draw(width: int, height: int) -> bytes:
        image = Image.new("RGBA", (width, height), (20, 65, 110, 255))
        pen = ImageDraw.Draw(image)
        side = min(width, height)
        # A white cross: the mark of a health card, no brand's logo.
        bar, long = max(2, side // 5), int(side * 0.7)
        cx, cy = side // 2, height // 2
        pen.rectangle([cx - bar // 2, cy - long // 2, cx + bar // 2, cy + long // 2],
                      fill=(255, 255, 255, 255))
        pen.rectangle([cx - long // 2, cy - bar // 2, cx + long // 2, cy + bar // 2],
                      fill=(255, 255, 255, 255))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()

    return {"icon.png": draw(29, 29), "icon@2x.png": draw(58, 58), "logo.png": draw(50, 50),
            "logo@2x.png": draw(100, 100)}


def manifest(files: dict[str, bytes]) -> bytes:
    return json.dumps({name: hashlib.sha1(data).hexdigest()  # noqa: S324 - Apple's format
                       for name, data in sorted(files.items())},
                      separators=(",", ":")).encode()


def sign(data: bytes, keys: AppleKeys) -> bytes:
    """Detached PKCS#7 (DER) signature of `data` by the pass certificate, with the WWDR
    certificate in the bundle and the signing time among the signed attributes."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    certificate = x509.load_pem_x509_certificate(keys.certificate_pem.encode())
    key = serialization.load_pem_private_key(keys.key_pem.encode(), password=None)
    wwdr = x509.load_pem_x509_certificate(keys.wwdr_pem.encode())
    return (pkcs7.PKCS7SignatureBuilder().set_data(data)
            .add_signer(certificate, key, hashes.SHA256())  # type: ignore[arg-type]
            .add_certificate(wwdr)
            .sign(serialization.Encoding.DER,
                  [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]))


def pkpass(data: dict, keys: AppleKeys) -> bytes:
    files = {"pass.json": json.dumps(data, ensure_ascii=False, indent=1).encode(), **images()}
    files["manifest.json"] = manifest(files)
    files["signature"] = sign(files["manifest.json"], keys)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()
