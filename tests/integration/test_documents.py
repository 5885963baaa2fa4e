"""« Mes documents » and « Mes attestations » (issue 11): every document of hers in one list,
filtered and paged, downloaded by short links; documents filed where they are made
(statements, the card, uploads, an advisor's final answer); the membership attestation, its
PDF and QR code, its revocation and its public check, which says only validity, initials and
dates."""

import io
import re
from datetime import date, timedelta

import boto3
import pytest
import requests
from pypdf import PdfReader

from shared import clock
from tests.helpers import aws_calls, idempotency, plain, process, sample_pdf, upload_file
from tests.routes import request_body

PAUL = "paul.m@example.fr"
FATIMA_NUMBER = "2024001871"


def documents(api, user="fatima.l@example.fr", **query) -> list[dict]:
    """Every document the list gives, following its cursors."""
    items, cursor = [], None
    while True:
        params = {**query, "limit": query.get("limit", 100), **({"cursor": cursor} if cursor
                                                                  else {})}
        r = api.get("/documents", user=user, query="&".join(f"{k}={v}"
                                                            for k, v in params.items()))
        assert r.status == 200, r.body
        items += r.body["items"]
        cursor = r.body["next"]
        if not cursor:
            return items


def download(api, document_id: str, user="fatima.l@example.fr") -> tuple[dict, bytes]:
    link = api.get(f"/documents/{document_id}/link", user=user)
    assert link.status == 200, link.body
    got = requests.get(link.body["url"], timeout=10)
    assert got.status_code == 200
    return link.body, got.content


def pdf_text(data: bytes) -> str:
    return plain("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def table():
    from shared.settings import get_settings

    return boto3.resource("dynamodb", region_name="eu-west-3").Table(get_settings().table_name)


def stored(prefix: str, member=FATIMA_NUMBER) -> list[dict]:
    from boto3.dynamodb.conditions import Key

    return table().query(KeyConditionExpression=Key("pk").eq(f"MEMBER#{member}")
                         & Key("sk").begins_with(prefix))["Items"]


def public_check(api, code: str):
    return api.call("GET", f"/public/attestations/{code}", claims={})


# ----------------------------------------------------------------------------- the list
def test_her_documents_newest_first_with_what_each_one_is(api):
    items = documents(api)
    assert [d["created_at"] for d in items] == sorted((d["created_at"] for d in items),
                                                       reverse=True)
    kinds = {d["kind"] for d in items}
    assert {"statement", "attestation", "card", "letter", "upload"} <= kinds
    month_ends, day = [], clock.today().replace(day=1)
    for _ in range(3):
        day -= timedelta(days=1)
        month_ends.append(day.isoformat())
        day = day.replace(day=1)
    assert any(d["kind"] == "statement" and d["date"] in month_ends
               and d["title"].startswith("Relevé de prestations d") for d in items)
    # (Other tests of this module, in any order, may have filed documents of their own.)
    upload = next(d for d in items if d["title"] == "feuille-de-soins.pdf")
    assert upload["kind"] == "upload" and upload["kind_label"] == "Document envoyé"
    for d in items:
        assert d["title"] and d["kind_label"] and d["size"] > 0
        assert d["format"] in ("PDF", "CSV", "JPEG", "PNG")
        if d["format"] == "PDF" and d["kind"] != "upload":
            assert d["size"] > 1000, d  # a real PDF of ours, not an empty file
    ines = [d for d in items if d["beneficiary_id"] == "B03"]
    assert ines and all(d["beneficiary_name"] == "Inès Lambert" for d in ines)
    # Paul sees his own, never hers.
    paul = documents(api, user=PAUL)
    assert paul and not {d["id"] for d in paul} & {d["id"] for d in items}


def test_filters_offer_what_her_documents_have_and_narrow_the_list(api):
    f = api.get("/documents/filters").body
    year = clock.today().year
    assert f["years"][0] == year and year - 1 in f["years"]
    assert {k["value"] for k in f["kinds"]} >= {"statement", "attestation", "card", "letter",
                                                 "upload"}
    assert {k["label"] for k in f["kinds"]} >= {"Relevé de prestations", "Attestation"}
    assert f["beneficiaries"] == [{"value": "B03", "label": "Inès Lambert"}]
    everything = documents(api)
    assert f["total"] == len(everything)

    statements = documents(api, kind="statement")
    assert statements and all(d["kind"] == "statement" for d in statements)
    assert len(statements) == sum(d["kind"] == "statement" for d in everything)
    hers = documents(api, beneficiary="B03")
    assert hers and all(d["beneficiary_id"] == "B03" for d in hers)
    last_year = documents(api, year=year - 1)
    assert last_year and all(d["year"] == year - 1 for d in last_year)
    assert len(last_year) == sum(d["year"] == year - 1 for d in everything)
    both = documents(api, kind="card", year=year)
    assert [d["title"] for d in both] == [f"Carte mutualiste {year}"]
    assert documents(api, kind="receipt", beneficiary="B03") == []


def test_paging_gives_each_document_once(api):
    everything = documents(api)
    assert len(everything) > 5
    first = api.get("/documents", query="limit=2").body
    assert len(first["items"]) == 2 and first["next"]
    paged = documents(api, limit=2)
    assert [d["id"] for d in paged] == [d["id"] for d in everything]
    filtered = documents(api, kind="statement", limit=1)
    assert [d["id"] for d in filtered] == [d["id"] for d in everything
                                          if d["kind"] == "statement"]


@pytest.mark.parametrize("query, field", [
    ("kind=passport", "kind"), ("year=deux-mille", "year"), ("year=1800", "year"),
    ("beneficiary=B77", "beneficiary"), ("beneficiary=..%2Fx", "beneficiary"),
    ("limit=0", "limit"), ("limit=1000", "limit"),
])
def test_bad_filters_are_refused_in_french(api, query, field):
    r = api.get("/documents", query=query)
    assert r.status == 400, r.body
    assert field in r.body["fields"] and r.body["message"]


def test_a_cursor_of_another_member_is_refused(api):
    hers = api.get("/documents", query="limit=1").body["next"]
    assert hers
    r = api.get("/documents", user=PAUL, query=f"limit=1&cursor={hers}")
    assert r.status == 400 and r.body["code"] == "invalid_cursor"


# ----------------------------------------------------------------------------- links
def test_a_link_downloads_the_file_under_a_french_name(api):
    card = next(d for d in documents(api) if d["kind"] == "card")
    link, data = download(api, card["id"])
    assert link["filename"] == f"carte-mutualiste-{clock.today().year}.pdf"
    assert data.startswith(b"%PDF")
    assert "Carte mutualiste" in pdf_text(data)
    got = requests.get(link["url"], timeout=10)
    assert got.headers["Content-Disposition"] == (
        f'attachment; filename="{link["filename"]}"; filename*=UTF-8\'\'{link["filename"]}')
    assert got.headers["Cache-Control"] == "private, no-store"  # a health document
    assert "X-Amz-Expires=120" in link["url"]
    statement = next(d for d in documents(api) if d["kind"] == "statement"
                     and d["format"] == "PDF")  # another test may have made a CSV one since
    link, _ = download(api, statement["id"])
    assert re.fullmatch(r"releve-de-prestations-[a-z0-9-]+\.pdf", link["filename"]), link


def test_another_members_or_an_unknown_document_is_not_found(api):
    hers = documents(api)[0]["id"]
    for user, document_id in [(PAUL, hers), ("fatima.l@example.fr", "D20260101T000000-00000000"),
                              ("fatima.l@example.fr", "X-not-an-id")]:
        r = api.get(f"/documents/{document_id}/link", user=user)
        assert r.status == 404, r.body
        assert "introuvable" in r.body["message"]


# ----------------------------------------------------------------------------- filed where made
def test_a_past_statement_is_filed_once_and_a_running_one_each_time(api):
    before = documents(api, kind="statement")
    # A month the seed filed, as the export would have (« Relevé de prestations de mars… »).
    month = next(d for d in before if re.match(r"Relevé de prestations d(e |')[a-zé]", d["title"]))
    last = date.fromisoformat(month["date"])
    first = last.replace(day=1)
    for _ in range(2):
        r = api.post("/claims/statements/exports", {"from": first.isoformat(),
                                                    "to": last.isoformat(), "format": "pdf"})
        assert r.status == 201, r.body
        assert requests.get(r.body["url"], timeout=10).content.startswith(b"%PDF")
    # Last month's statement was in her documents already (as the seed filed it): still once.
    assert len(documents(api, kind="statement")) == len(before)
    running = {"from": clock.today().replace(day=1).isoformat(),
               "to": clock.today().isoformat(), "format": "csv", "beneficiary_ids": ["B03"]}
    assert api.post("/claims/statements/exports", running).status == 201
    after = documents(api, kind="statement")
    assert len(after) == len(before) + 1
    new = next(d for d in after if d["id"] not in {b["id"] for b in before})
    assert new["format"] == "CSV" and new["beneficiary_name"] == "Inès Lambert"
    assert "tableur" in new["title"]
    link, data = download(api, new["id"])
    assert link["filename"].endswith(".csv") and data.startswith(b"\xef\xbb\xbf")


def test_the_card_is_filed_once_however_often_she_downloads_it(api):
    cards = documents(api, kind="card")
    for _ in range(2):
        assert api.post("/contract/card/exports").status == 201
    assert [d["id"] for d in documents(api, kind="card")] == [d["id"] for d in cards]
    _, data = download(api, cards[0]["id"])
    assert "Inès Lambert" in pdf_text(data)


def test_what_she_sends_is_filed_once_checked(api):
    upload_file(api, sample_pdf("Ordonnance du Dr Moreau"), name="ordonnance-ines.pdf")
    sent = [d for d in documents(api, kind="upload") if d["title"] == "ordonnance-ines.pdf"]
    assert len(sent) == 1 and sent[0]["kind_label"] == "Document envoyé"
    _, data = download(api, sent[0]["id"])
    assert "Ordonnance du Dr Moreau" in pdf_text(data)
    # A file refused by the check is no document of hers.
    refused = upload_file(api, b"%PDF-1.4 not really", name="abime.pdf", confirm=False)
    assert api.post(f"/support/uploads/{refused}/confirm").status == 422
    assert not [d for d in documents(api, kind="upload") if d["title"] == "abime.pdf"]


def _new_request(api) -> dict:
    upload_id = upload_file(api, sample_pdf())
    r = api.post("/support/requests/reimbursement", request_body(
        upload_id, care_date=(clock.today() - timedelta(days=3)).isoformat()),
        headers=idempotency())
    assert r.status == 201, r.body
    return r.body


def test_an_advisors_final_answer_is_a_letter_in_her_documents(api):
    request = _new_request(api)
    letters = documents(api, kind="letter")
    process(api, request, "refuse", message="La facture ne porte pas le nom d'Inès.")
    new = [d for d in documents(api, kind="letter") if d not in letters]
    assert len(new) == 1
    letter = new[0]
    assert request["reference"] in letter["title"] and letter["beneficiary_name"] == "Inès Lambert"
    text = pdf_text(download(api, letter["id"])[1])
    assert "n'a pas pu être acceptée" in text and "ne porte pas le nom d'Inès" in text
    assert "Camille R." in text


def test_a_letter_that_cannot_be_filed_leaves_nothing_behind(api):
    from botocore.exceptions import ClientError

    from tests.helpers import advisor_ref

    request = _new_request(api)
    ref = advisor_ref(api, request)
    taken = api.post(f"/support/advisor/requests/{ref}/take", {"version": 1},
                     user="conseiller@example.fr").body
    letters = documents(api, kind="letter")
    bucket = boto3.client("s3", region_name="eu-west-3")
    from shared.settings import get_settings

    def objects():
        return {o["Key"] for o in bucket.list_objects_v2(
            Bucket=get_settings().documents_bucket,
            Prefix=f"members/{FATIMA_NUMBER}/letters/").get("Contents", [])}

    before = objects()

    def fail(service, operation, params):
        if operation == "TransactWriteItems":
            return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                          "Message": "injected"}}, operation)
        return None

    with aws_calls(fail=fail):
        r = api.post(f"/support/advisor/requests/{ref}/accept",
                     {"version": taken["version"]}, user="conseiller@example.fr")
    assert r.status == 503
    assert objects() == before and documents(api, kind="letter") == letters
    assert api.post(f"/support/advisor/requests/{ref}/accept", {"version": taken["version"]},
                    user="conseiller@example.fr").status == 200
    assert len(objects()) == len(before) + 1
    assert len(documents(api, kind="letter")) == len(letters) + 1


# ----------------------------------------------------------------------------- attestations
def create(api, body=None, user="fatima.l@example.fr", headers=None):
    r = api.post("/documents/attestations", body or {}, user=user, headers=headers or idempotency())
    assert r.status == 201, r.body
    return r.body


def qr_modules(data: bytes) -> list[list[bool]]:
    """The dark modules of the QR code drawn on the PDF's first page (an image of 6 px per
    module with a quiet zone of 2 modules, as drawn)."""
    image = PdfReader(io.BytesIO(data)).pages[0].images[0].image.convert("L")
    size = image.width // 6 - 4
    return [[image.getpixel(((c + 2) * 6 + 3, (r + 2) * 6 + 3)) < 128 for c in range(size)]
            for r in range(size)]


def qr_of(text: str) -> list[list[bool]]:
    import segno

    return [[bool(v) for v in row] for row in segno.make(text, error="m").matrix]


def test_the_attestation_says_who_is_covered_by_what_until_when(api):
    made = create(api)
    a, document = made["attestation"], made["document"]
    year = clock.today().year
    assert a["status"] == "valid" and a["status_label"] == "Valide" and a["can_revoke"]
    assert a["scope_label"] == "Toute la famille"
    assert a["valid_until"] == f"{year}-12-31" and a["valid_from"] == f"{year}-01-01"
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", a["code"])
    assert a["check_url"].endswith(f"/verifier-attestation/?code={a['code']}")
    assert document["kind"] == "attestation" and document["id"] == a["document_id"]
    assert made["link"]["filename"].startswith("attestation-d-adhesion-du-")
    data = requests.get(made["link"]["url"], timeout=10).content
    text = pdf_text(data)
    for expected in ["Attestation d'adhésion", "Fatima Lambert", "Karim Lambert", "Inès Lambert",
                     FATIMA_NUMBER, "CT-2024001871-01", "Équilibre", "Transports Lumière SA",
                     f"01/01/{year}", f"31/12/{year}", f"31 décembre {year}",
                     a["code"], "/verifier-attestation/", "Conjoint ou partenaire", "12/04/1987"]:
        assert expected in text, expected
    assert qr_modules(data) == qr_of(a["check_url"])
    assert qr_modules(data) != qr_of(a["check_url"].replace(a["code"][:4], "0000"))
    # Filed in her documents, downloadable again.
    assert document["id"] in {d["id"] for d in documents(api, kind="attestation")}
    assert download(api, document["id"])[1] == data


def test_an_attestation_for_one_beneficiary_names_only_her(api):
    made = create(api, {"beneficiary_id": "B03"})
    a = made["attestation"]
    assert a["scope_label"] == "Inès Lambert" and a["beneficiary_id"] == "B03"
    assert made["document"]["beneficiary_name"] == "Inès Lambert"
    text = pdf_text(requests.get(made["link"]["url"], timeout=10).content)
    assert "Inès Lambert" in text and "Karim" not in text
    check = public_check(api, a["code"]).body
    assert check["holders"] == ["I. L."]
    r = api.post("/documents/attestations", {"beneficiary_id": "B77"}, headers=idempotency())
    assert r.status == 422 and "beneficiary_id" in r.body["fields"]
    r = api.post("/documents/attestations", {"beneficiary_id": "B03", "nom": "x"},
                 headers=idempotency())
    assert r.status == 400


def test_a_double_submit_makes_one_attestation(api):
    headers = idempotency()
    before = len(documents(api, kind="attestation"))
    first = create(api, headers=headers)
    again = create(api, headers=headers)
    assert again["attestation"]["id"] == first["attestation"]["id"]
    assert len(documents(api, kind="attestation")) == before + 1
    other = api.post("/documents/attestations", {"beneficiary_id": "B03"}, headers=headers)
    assert other.status == 422
    assert api.post("/documents/attestations", {}).status == 400  # no key


def test_her_attestations_with_their_status(api):
    made = create(api)["attestation"]
    listed = api.get("/documents/attestations").body["items"]
    # The newest (the module's earlier tests may have made one in the same second).
    assert made["id"] in [a["id"] for a in listed if a["issued_at"] == listed[0]["issued_at"]]
    assert [a["issued_at"] for a in listed] == sorted((a["issued_at"] for a in listed),
                                                      reverse=True)
    seeded = listed[-1]
    issued = clock.today() - timedelta(days=35)
    assert seeded["status"] == ("valid" if issued.year == clock.today().year else "expired")
    assert seeded["scope_label"] == "Toute la famille"
    # One whose period is over says so, in her list and on the public check.
    from documents.repository import attestation_sk, check_key

    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    old = create(api)["attestation"]
    table().update_item(Key={"pk": f"MEMBER#{FATIMA_NUMBER}", "sk": attestation_sk(old["id"])},
                        UpdateExpression="SET valid_until = :d",
                        ExpressionAttributeValues={":d": yesterday})
    table().update_item(Key=check_key(old["code"].replace("-", "")),
                        UpdateExpression="SET valid_until = :d",
                        ExpressionAttributeValues={":d": yesterday})
    expired = next(a for a in api.get("/documents/attestations").body["items"]
                   if a["id"] == old["id"])
    assert expired["status"] == "expired" and expired["status_label"] == "Expirée"
    assert not expired["can_revoke"]
    check = public_check(api, old["code"]).body
    assert not check["valid"] and check["status"] == "expired" and "a expiré" in check["message"]
    assert api.get("/documents/attestations", user=PAUL).body["items"] == []


def test_revoked_the_public_check_says_so_and_revoking_again_changes_nothing(api):
    a = create(api)["attestation"]
    assert public_check(api, a["code"]).body["status"] == "valid"
    audits = len(stored("AUDIT#"))
    r = api.post(f"/documents/attestations/{a['id']}/revoke")
    assert r.status == 200, r.body
    assert r.body["status"] == "revoked" and r.body["status_label"] == "Révoquée"
    assert r.body["revoked_at"] and not r.body["can_revoke"]
    entries = stored("AUDIT#")
    assert len(entries) == audits + 1
    assert any(e["action"] == "attestation_revoked" and e["target"] == a["id"] for e in entries)
    again = api.post(f"/documents/attestations/{a['id']}/revoke")
    assert again.status == 200 and again.body == r.body
    assert len(stored("AUDIT#")) == audits + 1
    check = public_check(api, a["code"])
    assert check.status == 200
    assert not check.body["valid"] and check.body["status_label"] == "Révoquée"
    assert "révoquée" in check.body["message"]
    # Not hers: not found, and nothing changes.
    b = create(api)["attestation"]
    r = api.post(f"/documents/attestations/{b['id']}/revoke", user=PAUL)
    assert r.status == 404 and "introuvable" in r.body["message"]
    assert public_check(api, b["code"]).body["valid"]


def test_the_public_check_reveals_only_validity_initials_and_dates(api):
    a = create(api)["attestation"]
    r = public_check(api, a["code"])
    assert r.status == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.body
    assert set(body) == {"code", "valid", "status", "status_label", "message", "holders",
                         "issued_on", "valid_until", "checked_on"}
    assert body["valid"] and body["holders"] == ["F. L.", "K. L.", "I. L."]
    assert body["issued_on"] == clock.today().isoformat()
    assert body["valid_until"] == f"{clock.today().year}-12-31"
    text = str(body)
    from domain.membership import member_context

    ctx = member_context(FATIMA_NUMBER)
    secrets_of_hers = [FATIMA_NUMBER, "CT-2024001871", "Équilibre", "Transports", "Lyon",
                       " rue ", "@", ctx.member_name, *(b.first_name for b in
                                                      ctx.beneficiaries.values()),
                       *(b.last_name for b in ctx.beneficiaries.values()),
                       *(b.nir for b in ctx.beneficiaries.values() if b.nir),
                       *(b.birth_date.isoformat() for b in ctx.beneficiaries.values())]
    for secret in secrets_of_hers:
        assert secret not in text, secret
    # What a person types from paper: any case, spaces or no dashes, O for 0, I for 1.
    typed = a["code"].replace("-", " ").lower().replace("0", "o").replace("1", "i")
    assert public_check(api, typed.replace(" ", "")).body["code"] == a["code"]


@pytest.mark.parametrize("code", [
    "G9KY-BNC9-7BMT-MMQ2-EKGX", "ABCDABCDABCDABCDABCD", "short", "0", "A" * 64,
    "--------------------",
])
def test_a_forged_or_unknown_code_gets_one_french_answer(api, code):
    r = public_check(api, code)
    assert r.status == 404
    assert r.body["code"] == "unknown_attestation"
    assert r.body["message"].startswith("Aucune attestation ne correspond à ce code")
    assert set(r.body) == {"code", "message"}


def test_a_code_cannot_be_guessed(api):
    from documents.logic import codes

    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000 and all(codes.canonical(c) == c for c in made)
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**100


def test_the_seeded_attestation_checks_publicly(api):
    seeded = api.get("/documents/attestations").body["items"][-1]
    r = public_check(api, seeded["code"])
    assert r.status == 200 and r.body["holders"] == ["F. L.", "K. L.", "I. L."]
    assert date.fromisoformat(r.body["issued_on"]) == clock.today() - timedelta(days=35)
