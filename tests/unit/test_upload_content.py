"""What a member may upload (issue 17, item 9): a PDF that runs something when opened, or a
file that is an HTML page with a PDF after it, was accepted. Files made here, none committed."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from support.logic.uploads import content_problem
from tests.helpers import sample_image, sample_pdf

PDF = "application/pdf"


def _n(name: str) -> NameObject:
    return NameObject(name)


def _action(kind: str, **fields) -> DictionaryObject:
    return DictionaryObject({_n("/S"): _n(kind), **{_n(f"/{k}"): v for k, v in fields.items()}})


def _js() -> DictionaryObject:
    return _action("/JavaScript", JS=TextStringObject("app.alert('Bonjour')"))


def _written(change) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(sample_pdf()))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _catalog(key, value):
    return lambda w: w.root_object.__setitem__(_n(key), value)


def _page(key, value):
    return lambda w: w.pages[0].__setitem__(_n(key), value)


def _annotation(subtype, **fields):
    def change(w):
        annotation = DictionaryObject({
            _n("/Type"): _n("/Annot"), _n("/Subtype"): _n(subtype),
            _n("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(50),
                                      FloatObject(50)]),
            **{_n(f"/{k}"): v for k, v in fields.items()}})
        w.pages[0][_n("/Annots")] = ArrayObject([annotation])
    return change


def _names_javascript(w):
    tree = DictionaryObject({_n("/Names"): ArrayObject([TextStringObject("bonjour"),
                                                        _js()])})
    w.root_object[_n("/Names")] = DictionaryObject({_n("/JavaScript"): tree})


ACTIVE = {
    "script run on opening": _catalog("/OpenAction", _js()),
    "program launched on opening": _catalog("/OpenAction", _action(
        "/Launch", F=TextStringObject("calc.exe"))),
    "document-level script": _names_javascript,
    "script on the document's events": _catalog("/AA", DictionaryObject({_n("/WC"): _js()})),
    "script when the page opens": _page("/AA", DictionaryObject({_n("/O"): _js()})),
    "link running a script": _annotation("/Link", A=_js()),
    "embedded file": lambda w: w.add_attachment("facture.html", b"<script>alert(1)</script>"),
    "file attachment annotation": _annotation("/FileAttachment",
                                              FS=TextStringObject("facture.exe")),
    "rich media": _annotation("/RichMedia"),
    "XFA form": _catalog("/AcroForm", DictionaryObject({
        _n("/Fields"): ArrayObject(), _n("/XFA"): TextStringObject("<xdp:xdp/>")})),
}


def test_a_plain_pdf_and_images_are_accepted():
    assert content_problem(sample_pdf(), PDF) is None
    # A page opened at a view (what most generators write) is no action.
    opened = _written(_catalog("/OpenAction", ArrayObject([FloatObject(0)])))
    assert content_problem(opened, PDF) is None
    assert content_problem(_written(lambda w: None), PDF) is None
    assert content_problem(sample_image("PNG"), "image/png") is None
    assert content_problem(sample_image("JPEG"), "image/jpeg") is None


@pytest.mark.parametrize("what", ACTIVE)
def test_a_pdf_with_active_content_is_refused_saying_what_to_do(what):
    data = _written(ACTIVE[what])
    problem = content_problem(data, PDF)
    assert problem and "éléments actifs" in problem, what
    assert "Enregistrer au format PDF" in problem and "JPEG ou PNG" in problem


@pytest.mark.parametrize("prefix", [
    b"<html><script>alert(document.cookie)</script></html>\n",
    b"<!DOCTYPE html><title>x</title>\n",
    b" ",
    b"\xef\xbb\xbf",
])
def test_a_file_that_does_not_start_as_a_pdf_is_refused(prefix):
    """pypdf, lenient, reads a PDF whose header comes after anything; a browser reads the
    same file as the HTML page it starts with."""
    problem = content_problem(prefix + sample_pdf(), PDF)
    assert problem and "ne commence pas comme un PDF" in problem
    assert "PDF, JPEG ou PNG" in problem


@pytest.mark.parametrize("fmt, content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_an_image_must_start_with_its_magic_number(fmt, content_type):
    image = sample_image(fmt)
    for data in (b"<html><script>alert(1)</script></html>" + image, b"\n" + image):
        problem = content_problem(data, content_type)
        assert problem and "PDF, JPEG ou PNG" in problem
