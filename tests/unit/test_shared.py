import base64
import json
from datetime import date

import pytest

from shared.dates import age_on
from shared.errors import BadRequest
from shared.iban import mask_iban
from shared.money import format_eur
from shared.repository import decode_cursor, encode_cursor


@pytest.mark.parametrize("cents,text", [(0, "0,00\u00a0€"), (1900, "19,00\u00a0€"),
                                        (123456, "1\u202f234,56\u00a0€"), (-250, "-2,50\u00a0€")])
def test_format_eur_french(cents, text):
    assert format_eur(cents) == text


def test_mask_iban_shows_only_the_end():
    masked = mask_iban("FR14 2004 1010 0505 0001 3M02 606")
    assert masked.startswith("FR14 ") and masked.endswith("606")
    assert "2004" not in masked and "3M02" not in masked


def test_age_on_birthday_boundaries():
    assert age_on(date(2020, 3, 1), date(2026, 2, 28)) == 5
    assert age_on(date(2020, 3, 1), date(2026, 3, 1)) == 6


def test_cursor_round_trip_and_partition_check():
    key = {"pk": "MEMBER#1", "sk": "CLAIM#2026-01-02#C1"}
    cursor = encode_cursor(key)
    assert decode_cursor(cursor, key_names={"pk", "sk"}, partition=("pk", "MEMBER#1"),
                         sort_prefix=("sk", "CLAIM#")) == key
    with pytest.raises(BadRequest):
        decode_cursor(cursor, key_names={"pk", "sk"}, partition=("pk", "MEMBER#2"))
    with pytest.raises(BadRequest):
        decode_cursor(cursor, key_names={"pk", "sk"}, partition=("pk", "MEMBER#1"),
                      sort_prefix=("sk", "REQ#"))
    bad = base64.urlsafe_b64encode(json.dumps([1, 2]).encode()).decode()
    with pytest.raises(BadRequest):
        decode_cursor(bad, key_names={"pk", "sk"}, partition=("pk", "MEMBER#1"))


def test_documents_filed_in_one_second_each_get_their_own_id():
    """A member who sends many files in one second (a retry burst, a scan of ten pages, an
    import) gets one document each: an id shared by two would refuse the second filing (its
    put must be new), which she would see as « Ces informations ont changé entre-temps »."""
    from datetime import UTC, datetime

    from domain.documents import document_for

    ids = {document_for("M1", kind="upload", title="facture.pdf",
                        at=datetime(2026, 12, 7, 17, 51, 46, 1000 * i, tzinfo=UTC)).id
           for i in range(300)}
    assert len(ids) == 300
    assert all(i.startswith("D20261207T175146-") for i in ids)
