"""A file's name reaches a download's Content-Disposition only in a safe form (issue 17, item 2).

An upload's name is member input, shown to the advisors who download it. A probe named a PDF
`releve.pdf"; filename*=UTF-8''releve.html; x=".pdf`: the advisor's browser saved it as
`releve.html`; a line break in a name gave a 500. Every route that puts a name into a presigned
link is fed the probe's names: no 5xx, one `filename=` and one `filename*=` without a line break
or quote inside, and the saved name ends with the checked content's extension."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests

from tests.helpers import ADVISOR, idempotency, sample_image, sample_pdf, upload_file

FATIMA = "fatima.l@example.fr"
PROBES = [
    "releve.pdf\"; filename*=UTF-8''releve.html; x=\".pdf",
    "../../etc/passwd.pdf",
    "..\\..\\windows\\system.ini.pdf",
    "%0d%0a.pdf",
    "Relevé d'honoraires très détaillé du cabinet médical — " * 3 + "é" * 30 + ".pdf",
    "facture.pdf.html",
    "名前.pdf",
    "«ordonnance»; x=1.pdf",
]
CONTROL = ["a\r\nSet-Cookie: x=1.pdf", "facture\n.pdf", "nul\x00.pdf", "tab\t.pdf",
           "bidi\u202egnp.pdf"]


def disposition_of(url: str) -> str:
    """The Content-Disposition a presigned link makes S3 answer with."""
    values = parse_qs(urlsplit(url).query)["response-content-disposition"]
    assert len(values) == 1
    return values[0]


def saved_name(disposition: str) -> str:
    """The name a browser saves the file under (filename* wins, RFC 6266)."""
    params = dict(p.strip().split("=", 1) for p in disposition.split(";")[1:])
    if "filename*" in params:
        charset, _, value = params["filename*"].split("'", 2)
        return unquote(value, encoding=charset, errors="strict")
    return params["filename"].strip('"')


def assert_safe(disposition: str, ext: str) -> str:
    assert disposition.startswith("attachment; ")
    params = [p.strip() for p in disposition.split(";")[1:]]
    assert [p.split("=", 1)[0] for p in params] == ["filename", "filename*"], disposition
    ascii_value = params[0].split("=", 1)[1]
    assert ascii_value.startswith('"') and ascii_value.endswith('"')
    assert '"' not in ascii_value[1:-1] and ascii_value.isascii()
    assert params[1].split("=", 1)[1].startswith("UTF-8''")
    assert not any(c in disposition for c in "\r\n\x00\\")
    name = saved_name(disposition)
    assert name.endswith(f".{ext}") and "/" not in name and "\\" not in name, name
    assert ascii_value[1:-1].endswith(f".{ext}")
    return name


def upload_document(api, name: str, content: bytes, content_type: str) -> str:
    """Her upload of that name, attached to a conversation with the advisors."""
    upload_id = upload_file(api, content, content_type, name=name)
    r = api.post("/support/threads", {"subject": "Mes justificatifs",
                                      "message": "Voici le document demandé.",
                                      "upload_ids": [upload_id]}, headers=idempotency())
    assert r.status == 201, r.body
    return upload_id, r.body["id"]


def links(api, upload_id: str, thread_id: str, name: str) -> dict[str, dict]:
    """Every link to that file: her download from « Mes documents », hers and the advisor's
    from the conversation."""
    member = api.demo["members"][FATIMA]["member_id"]
    document = next(d for d in api.get("/documents", query="kind=upload&limit=100").body[
        "items"] if d["title"] == name)
    found = {
        "document": api.get(f"/documents/{document['id']}/link"),
        "member attachment": api.get(f"/support/threads/{thread_id}/attachments/{upload_id}"),
        "advisor attachment": api.get(
            f"/support/advisor/threads/{member}_{thread_id}/attachments/{upload_id}",
            user=ADVISOR),
    }
    for route, r in found.items():
        assert r.status == 200, (route, r.body)
    return {route: r.body for route, r in found.items()}


@pytest.mark.parametrize("name", PROBES)
def test_a_probes_name_is_saved_as_a_pdf_by_every_link(api, name):
    content = sample_pdf()
    upload_id, thread_id = upload_document(api, name, content, "application/pdf")
    for route, link in links(api, upload_id, thread_id, name).items():
        saved = assert_safe(disposition_of(link["url"]), "pdf")
        if route != "document":  # the document's own name is its slug (« releve-pdf… »)
            assert link["filename"] == saved, route
        got = requests.get(link["url"], timeout=10)
        assert got.status_code == 200 and got.content == content
        assert saved_name(got.headers["Content-Disposition"]) == saved
        assert got.headers["Cache-Control"] == "private, no-store"


def test_an_image_is_saved_with_its_checked_type(api):
    name = "radio.png.html\"; filename*=UTF-8''radio.html"
    upload_id, thread_id = upload_document(api, name, sample_image("JPEG"), "image/jpeg")
    for link in links(api, upload_id, thread_id, name).values():
        assert_safe(disposition_of(link["url"]), "jpg")


@pytest.mark.parametrize("name", CONTROL)
def test_a_name_with_a_control_character_is_refused_in_french(api, name):
    before = len(api.get("/documents", query="kind=upload&limit=100").body["items"])
    r = api.post("/support/uploads", {"filename": name, "content_type": "application/pdf",
                                      "size": 1000})
    assert r.status == 422, r.body
    assert r.body["code"] == "upload_filename" and "renommez" in r.body["message"]
    assert "filename" in r.body["fields"]
    assert len(api.get("/documents", query="kind=upload&limit=100").body["items"]) == before


@pytest.mark.parametrize("name", PROBES + CONTROL)
def test_any_name_reaches_a_presigned_link_safely(api, name):
    """Names stored before names were checked, or made by the functions: the one place that
    writes the header makes them safe."""
    from shared.repository import presigned_get

    for content_type, ext in [("application/pdf", "pdf"), ("image/png", "png"),
                              ("text/csv; charset=utf-8", "csv"), ("application/zip", "zip")]:
        url = presigned_get("members/x/uploads/y.bin", 60, filename=name,
                            content_type=content_type)
        assert_safe(disposition_of(url), ext)
        assert parse_qs(urlsplit(url).query)["response-cache-control"] == ["private, no-store"]


def test_a_plain_name_stays_as_it_was(api):
    from shared.filenames import content_disposition

    assert content_disposition("Ordonnance Dr Müller (2).PDF", "application/pdf") == (
        "attachment; filename=\"Ordonnance Dr Muller (2).pdf\"; "
        "filename*=UTF-8''Ordonnance%20Dr%20M%C3%BCller%20%282%29.pdf")
    assert saved_name(content_disposition("facture.pdf", "application/pdf")) == "facture.pdf"
    assert saved_name(content_disposition("名前.pdf", "application/pdf")) == "名前.pdf"
