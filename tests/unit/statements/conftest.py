import re
from datetime import date, timedelta

import pytest

from claims.logic.statement_render import Statement, StatementLine

ACCOUNT = "FR76 •••• •••• •••• •••• •••• 321"


def _line(**kw) -> StatementLine:
    defaults = dict(practitioner=None, payment_date=None, bank_account_masked=None)
    return StatementLine(**{**defaults, **kw})


@pytest.fixture
def statement() -> Statement:
    """Two beneficiaries, four acts, given out of date order on purpose."""
    marie = dict(beneficiary_id="b-marie", beneficiary_name="Marie Martin")
    leo = dict(beneficiary_id="b-leo", beneficiary_name="Léo Martin")
    return Statement(
        brand_name="Mutuelle Horizon Santé",
        brand_address="12 rue des Lilas\n75011 Paris",
        member_name="Marie Martin",
        member_number="123456789",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        generated_on=date(2026, 2, 5),
        beneficiary_names=["Marie Martin", "Léo Martin"],
        lines=[
            _line(
                claim_id="c1",
                care_date=date(2026, 1, 12),
                **marie,
                act_code="G",
                act_label="Consultation médecin généraliste",
                practitioner="Dr Sophie Bernard",
                real_cost_cents=3000,
                base_cents=3000,
                social_security_cents=1900,
                deductibles_cents=200,
                mutual_cents=900,
                out_of_pocket_cents=200,
                payment_date=date(2026, 1, 15),
                bank_account_masked=ACCOUNT,
            ),
            _line(
                claim_id="c2",
                care_date=date(2026, 1, 5),
                **marie,
                act_code="AMK",
                act_label="Séance de kinésithérapie",
                practitioner='=HYPERLINK("http://evil.example";"Cliquez")',
                real_cost_cents=1613,
                base_cents=1613,
                social_security_cents=868,
                deductibles_cents=100,
                mutual_cents=645,
                out_of_pocket_cents=100,
                payment_date=date(2026, 1, 9),
                bank_account_masked=ACCOUNT,
            ),
            _line(
                claim_id="c3",
                care_date=date(2026, 1, 20),
                **leo,
                act_code="OPT",
                act_label="Verres et monture",
                practitioner="Optique du Centre",
                real_cost_cents=123456,
                base_cents=900,
                social_security_cents=540,
                deductibles_cents=0,
                mutual_cents=100000,
                out_of_pocket_cents=22916,
            ),
            _line(
                claim_id="c4",
                care_date=date(2026, 1, 8),
                **leo,
                act_code="PH7",
                act_label="Médicaments remboursés à 65 %",
                real_cost_cents=1250,
                base_cents=1250,
                social_security_cents=812,
                deductibles_cents=50,
                mutual_cents=388,
                out_of_pocket_cents=50,
                payment_date=date(2026, 1, 10),
            ),
        ],
    )


@pytest.fixture
def empty_statement(statement: Statement) -> Statement:
    return statement.model_copy(update={"lines": []})


@pytest.fixture
def big_statement(statement: Statement) -> Statement:
    """A year of care for a family of three: 500 acts."""
    names = [("b-marie", "Marie Martin"), ("b-leo", "Léo Martin"), ("b-paul", "Paul Martin")]
    lines = []
    for i in range(500):
        bid, name = names[i % 3]
        lines.append(
            _line(
                claim_id=f"c{i}",
                care_date=date(2025, 1, 1) + timedelta(days=i * 365 // 500),
                beneficiary_id=bid,
                beneficiary_name=name,
                act_code="C" if i % 2 else "PHARMA",
                act_label=(
                    "Consultation spécialiste secteur 2 avec dépassement d'honoraires maîtrisé"
                    if i % 2
                    else f"Pharmacie, ordonnance n° {i}"
                ),
                practitioner=f"Dr Praticien Numéro {i}" if i % 2 else None,
                real_cost_cents=6000 + i,
                base_cents=3000,
                social_security_cents=1900,
                deductibles_cents=200,
                mutual_cents=1100,
                out_of_pocket_cents=3000 + i,
                payment_date=date(2025, 1, 1) + timedelta(days=i * 365 // 500 + 5),
                bank_account_masked=ACCOUNT,
            )
        )
    return statement.model_copy(
        update={
            "period_start": date(2025, 1, 1),
            "period_end": date(2025, 12, 31),
            "beneficiary_names": [n for _, n in names],
            "lines": lines,
        }
    )


# --------------------------------------------------------------------------- PDF text
# pypdf is not a dependency: decode fpdf2's uncompressed output (render_pdf(compress=False))
# ourselves. fpdf2 writes Type0/Identity-H fonts, 2-byte glyph codes in literal strings,
# one ToUnicode CMap per font.

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        if nxt in _ESCAPES:
            out += _ESCAPES[nxt]
            i += 2
        elif nxt.isdigit():
            m = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            out.append(int(m.group(), 8) & 0xFF)
            i += 1 + len(m.group())
        elif nxt == b"\n":
            i += 2
        else:
            out += nxt
            i += 2
    return bytes(out)


def _cmap(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(dst, 16)
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + k)
    return mapping


_OPS = re.compile(rb"/(\w+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Text of each page, one drawn string per line, in drawing order."""
    objs = {int(n): body for n, body in _OBJ.findall(pdf)}
    fonts = {
        name.decode(): _cmap(objs[int(to_unicode)])
        for name, font_ref in re.findall(rb"/(F\d+) (\d+) 0 R", pdf)
        for to_unicode in re.findall(rb"/ToUnicode (\d+) 0 R", objs[int(font_ref)])
    }
    (kids,) = [
        re.search(rb"/Kids \[(.*?)\]", body, re.S).group(1)
        for body in objs.values()
        if re.search(rb"/Type /Pages\b", body)
    ]
    pages = []
    for page_ref in re.findall(rb"(\d+) 0 R", kids):
        contents = re.search(rb"/Contents (\d+) 0 R", objs[int(page_ref)]).group(1)
        stream = objs[int(contents)]
        assert b"/FlateDecode" not in stream.split(b"stream")[0], "render with compress=False"
        chunks, font = [], None
        for m in _OPS.finditer(stream):
            if m.group(1):
                font = fonts[m.group(1).decode()]
                continue
            data = _unescape(m.group(2))
            chunks.append(
                "".join(
                    font[int.from_bytes(data[k : k + 2], "big")] for k in range(0, len(data), 2)
                )
            )
        pages.append("\n".join(chunks))
    return pages


@pytest.fixture
def pdf_text():
    return pdf_pages_text
