"""Checks of what a member types about herself: French postcodes and phone numbers, email
addresses, member numbers and one-time codes. Pure functions; each refusal is a French
sentence the form shows under the field (a ValueError that the HTTP shell turns into 400)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
# National numbers: 01-05 landlines by region, 06-07 mobiles, 09 internet boxes. 08 numbers
# are services (free or premium), never a person's own.
_NATIONAL = re.compile(r"^0[1-79][0-9]{8}$")
# Overseas departments dial +262 (La Réunion, Mayotte), +590 (Guadeloupe, Saint-Martin,
# Saint-Barthélemy), +594 (Guyane), +596 (Martinique); nationally their numbers start 0.
_OVERSEAS = ("262", "269", "590", "594", "596")


def clean_text(value: object) -> object:
    """Trim and collapse spaces; an empty text is no text. Control characters are refused."""
    if not isinstance(value, str):
        return value
    if any(unicodedata.category(char) == "Cc" for char in value.replace("\t", " ")):
        raise ValueError("caractères non autorisés")
    text = _SPACES.sub(" ", value).strip()
    return text or None


def required_text(value: object) -> object:
    text = clean_text(value)
    if text is None and value is not None:
        raise ValueError("information obligatoire")
    return text


def french_postcode(code: str) -> str:
    """Five digits of a real French range: 01-95 (Corsica 20), overseas 971-978, Monaco and
    the Pacific 980, 986-988."""
    code = code.strip()
    if not re.fullmatch(r"[0-9]{5}", code):
        raise ValueError("le code postal compte 5 chiffres, par exemple 69003")
    department = int(code[:2])
    prefix = int(code[:3])
    if 1 <= department <= 95 or 971 <= prefix <= 978 or prefix in (980, 986, 987, 988):
        return code
    raise ValueError("ce code postal n'existe pas en France : vérifiez-le")


def phone_digits(text: str) -> str | None:
    """The national digits of a French number (0612345678), or None when it is not one."""
    digits = _PHONE_SEPARATORS.sub("", text.replace("(0)", ""))
    if digits.startswith("+"):
        digits = "00" + digits[1:]
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("00") and digits[2:5] in _OVERSEAS:
        digits = "0" + digits[5:]
    if digits.startswith("00") or not _NATIONAL.match(digits):
        return None
    return digits


def french_phone(value: str | None) -> str | None:
    """« 06 12 34 56 78 » from any usual way of writing it; None when left empty."""
    if value is None:
        return None
    if len(value) > 20:
        raise ValueError("20 caractères au plus")
    digits = phone_digits(value)
    if digits is None:
        raise ValueError("numéro français attendu, par exemple 06 12 34 56 78")
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


def is_mobile(phone: str | None) -> bool:
    return bool(phone) and phone.replace(" ", "").startswith(("06", "07"))


def email_address(value: str) -> str:
    """A plausible address, lower-cased (sign-in treats addresses without case)."""
    text = value.strip().lower()
    if not _EMAIL.match(text) or ".." in text or len(text) > 254:
        raise ValueError("adresse e-mail complète attendue, par exemple nom@exemple.fr")
    return text


def member_number(value: str) -> str:
    """Her member number as printed on her card, spaces allowed."""
    digits = re.sub(r"[\s.\-]", "", value)
    if not re.fullmatch(r"[0-9]{6,12}", digits):
        raise ValueError("le numéro d'adhérent compte de 6 à 12 chiffres")
    return digits


def one_time_code(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", value)
    if not re.fullmatch(r"[0-9]{6}", digits):
        raise ValueError("le code reçu par e-mail compte 6 chiffres")
    return digits


def masked_email(email: str) -> str:
    """« f•••@example.fr »: enough for her to recognise her address."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
