"""The sign-in history's words (device, masked address, country) and the data export's
archive builder, without AWS."""

import pytest

from infra.local import template
from members.logic import exports
from members.logic.history import country, device, mask_ip, viewer_ip

UAS = {
    "Chrome sur Android": ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, "
                           "like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "phone"),
    "Safari sur iPhone": ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                          "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 "
                          "Safari/604.1", "phone"),
    "Chrome sur iPad": ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                        "(KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1", "tablet"),
    "Edge sur Windows": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                         "like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "computer"),
    "Safari sur Mac": ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.5 Safari/605.1.15", "computer"),
    "Firefox sur Linux": ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
                          "Firefox/128.0", "computer"),
    "Samsung Internet sur Android": (
        "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "phone"),
    "Opera sur Windows": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                          "like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "computer"),
    "Firefox sur Android": ("Mozilla/5.0 (Android 14; Tablet; rv:128.0) Gecko/128.0 "
                            "Firefox/128.0", "tablet"),
    "Chrome sur ChromeOS": ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, "
                            "like Gecko) Chrome/126.0.0.0 Safari/537.36", "computer"),
    "Navigateur inconnu sur Android": ("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8) Mobile",
                                       "phone"),
    "Appareil inconnu": ("curl/8.5.0", "unknown"),
}


@pytest.mark.parametrize("words", list(UAS))
def test_a_user_agent_in_french_words(words):
    ua, kind = UAS[words]
    found = device(ua)
    assert (found.words, found.kind) == (words, kind)


def test_no_user_agent_is_an_unknown_device():
    assert device(None).words == device("").words == "Appareil inconnu"


def test_addresses_keep_only_their_network():
    assert mask_ip("203.0.113.77") == "203.0.113.xxx"
    assert mask_ip("2001:db8:85a3::8a2e:370:7334") == "2001:db8:85a3:…"
    assert mask_ip("2a01:0e0a:0001:2:3:4:5:6") == "2a01:e0a:1:…"
    assert mask_ip("pas une adresse") is None and mask_ip(None) is None


def test_the_viewer_address_comes_from_cloudfront_when_it_is_there():
    assert viewer_ip("198.51.100.23:50412", "130.176.1.1") == "198.51.100.23"
    assert viewer_ip("2406:2d40:728d:fa10::c4a:42838", "130.176.1.1") == \
        "2406:2d40:728d:fa10::c4a"
    assert viewer_ip(None, "192.0.2.1") == "192.0.2.1"
    assert viewer_ip("garbage", "192.0.2.1") == "192.0.2.1"
    assert viewer_ip(None, None) is None


def test_a_country_is_a_code_cloudfront_could_locate():
    assert country("fr") == "FR"
    assert country("XX") is None and country("") is None and country("France") is None


MEMBER = "2024001871"


def items():
    pk = f"MEMBER#{MEMBER}"
    return [
        {"pk": pk, "sk": "FILE#PROFILE", "type": "profile", "member_id": MEMBER,
         "first_name": "Fatima", "last_name": "Lambert", "email": "f@example.fr",
         "version": 3},
        {"pk": pk, "sk": "FILE#SESSION#abc", "type": "session", "expires_at": 1},
        {"pk": pk, "sk": "FILE#SEEN#abc", "type": "session_seen", "ttl": 1},
        {"pk": pk, "sk": "FILE#EXPORTLOCK", "type": "export_lock", "export_id": "X1"},
        {"pk": pk, "sk": "IDEM#estimate#k", "type": "idempotency", "object_id": "E1"},
        {"pk": pk, "sk": "CLAIM#2026-01-02#C1", "type": "claim", "id": "C1",
         "gsi1pk": f"{pk}#BENEF#B01", "gsi1sk": "CLAIM#2026-01-02#C1",
         "lines": [{"key": "mutual", "amount_cents": 1200}]},
        {"pk": pk, "sk": "THREAD#T1", "type": "thread", "id": "T1", "subject": "Carte"},
        {"pk": pk, "sk": "THREAD#T1#MSG#M1", "type": "thread_message", "id": "M1",
         "thread_id": "T1", "text": "Bonjour"},
        {"pk": pk, "sk": "UPLOAD#U1", "type": "upload", "id": "U1",
         "created_at": "2026-01-03T10:00:00+01:00", "filename": "Facture Dr Été.pdf",
         "s3_key": f"members/{MEMBER}/uploads/U1.pdf", "status": "attached"},
        {"pk": pk, "sk": "UPLOAD#U2", "type": "upload", "id": "U2", "filename": "x.pdf",
         "s3_key": f"incoming/{MEMBER}/U2.pdf", "status": "pending"},
        {"pk": pk, "sk": "DOC#1#D1", "type": "document", "id": "D1", "title": "Relevé",
         "created_at": "2026-02-01T10:00:00+01:00", "s3_key": "members/2023004412/x/D1.pdf"},
        {"pk": pk, "sk": "NEWKIND#1", "type": "loyalty_points", "points": 3},
        {"pk": pk, "sk": "OVERPAY#TP-2026-0001", "type": "overpayment", "id": "TP-2026-0001",
         "amount_cents": 12800, "reason": "Part de la Sécurité sociale revue",
         "gestion_status": "issued", "contest_request": "R1"},
    ]


def test_the_archive_sorts_every_kind_of_item_and_keeps_storage_out():
    archive = exports.archive_contents(items(), MEMBER)
    assert archive.files["profil.json"]["first_name"] == "Fatima"
    assert "pk" not in archive.files["profil.json"]
    claims = archive.files["remboursements.json"]
    assert claims == [{"id": "C1", "lines": [{"key": "mutual", "amount_cents": 1200}]}]
    threads = archive.files["messages.json"]
    assert threads[0]["subject"] == "Carte" and threads[0]["messages"][0]["text"] == "Bonjour"
    # A kind the builder does not know yet still reaches her.
    assert archive.files["autres.json"] == {"loyalty_points": [{"points": 3}]}
    # Her trop-perçus, with what she did about them (here, contested).
    [owed] = archive.files["trop-percus.json"]
    assert (owed["amount_cents"], owed["contest_request"]) == (12800, "R1")
    text = repr(archive.files)
    for technical in ("SESSION", "SEEN", "EXPORTLOCK", "IDEM#", "gsi1pk", "ttl"):
        assert technical not in text


def test_only_her_own_confirmed_files_go_into_the_archive():
    archive = exports.archive_contents(items(), MEMBER)
    assert [(d.key, d.path) for d in archive.documents] == [
        (f"members/{MEMBER}/uploads/U1.pdf", "documents/2026-01-03-facture-dr-ete-u1.pdf")]
    assert archive.refused == ["members/2023004412/x/D1.pdf"]
    index = archive.files["documents.json"]
    assert [d.get("fichier") for d in index] == ["documents/2026-01-03-facture-dr-ete-u1.pdf",
                                                 None]
    assert all("s3_key" not in d for d in index)


def test_the_readme_tells_what_is_in_the_archive_and_what_was_left_out():
    from datetime import UTC, datetime

    archive = exports.archive_contents(items(), MEMBER)
    text = exports.readme("Fatima Lambert", datetime(2026, 3, 1, 9, 30, tzinfo=UTC), archive,
                          [(archive.documents[0], "trop volumineux pour ce fichier")],
                          "Mutuelle Clairval")
    assert "Fatima Lambert le 01/03/2026 à 10:30" in text
    assert "- remboursements.json : vos remboursements" in text
    assert "Facture Dr Été.pdf : trop volumineux" in text
    assert "documents/ : 0 document" in text


def test_the_queue_and_the_worker_agree_with_the_logic():
    queue = template.resources("AWS::SQS::Queue")["ExportsQueue"]
    worker = template.resources("AWS::Serverless::Function")["MembersExportFunction"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == exports.MAX_ATTEMPTS
    assert queue["VisibilityTimeout"] >= 6 * worker["Timeout"]
    # Every attempt can run to its timeout before the export is given up as failed.
    last_attempt_ends = (exports.MAX_ATTEMPTS - 1) * queue["VisibilityTimeout"] + worker["Timeout"]
    assert exports.DEADLINE.total_seconds() > last_attempt_ends
    assert worker["Events"]["Exports"]["Properties"]["FunctionResponseTypes"] == [
        "ReportBatchItemFailures"]


def test_the_account_s_one_time_codes_and_sign_in_link_stay_out_of_the_archive():
    pk = f"MEMBER#{MEMBER}"
    secrets = [
        {"pk": pk, "sk": "FILE#EMAIL_CHANGE", "type": "email_change", "email": "n@example.fr",
         "code_hash": "h1", "attempts_left": 4},
        {"pk": pk, "sk": "FILE#SIGNUP", "type": "signup", "email": "f@example.fr",
         "code_hash": "h2"},
        {"pk": pk, "sk": "FILE#ACCOUNT", "type": "account_link", "sub": "cognito-sub-1"},
    ]
    archive = exports.archive_contents(items() + secrets, MEMBER)
    text = repr(archive.files)
    for secret in ("h1", "h2", "code_hash", "cognito-sub-1", "n@example.fr"):
        assert secret not in text
    assert archive.files["profil.json"]["email"] == "f@example.fr"
