"""The local stack's check of IAM-signed calls, as API Gateway makes it: the signature of
known credentials over this very request, made within five minutes of now."""

from datetime import UTC, datetime, timedelta

import pytest

from infra.local.sigv4 import SignatureError, SigV4Verifier, sign

URL = "http://127.0.0.1:8130/api/system/fhir"
BODY = b'{"resourceType": "Invoice"}'
VERIFIER = SigV4Verifier({"LOCALGESTION": "secret"}, "eu-west-3")


def signed(**over):
    args = {"access_key": "LOCALGESTION", "secret": "secret", "region": "eu-west-3", **over}
    headers = sign("POST", URL, BODY, headers={"Content-Type": "application/json"}, **args)
    return {**headers, "Host": "127.0.0.1:8130"}


def signing_time(headers) -> datetime:
    return datetime.strptime(headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def test_a_signed_call_is_the_management_systems():
    identity = VERIFIER.verify("POST", URL, signed(), BODY)
    assert identity["accessKey"] == "LOCALGESTION"


@pytest.mark.parametrize(("method", "url", "body", "headers"), [
    ("POST", URL, BODY + b" ", None),  # another body
    ("POST", URL + "?x=1", BODY, None),  # another URL
    ("PUT", URL, BODY, None),  # another method
    ("POST", URL, BODY, {"Host": "evil.example"}),  # another host
])
def test_a_changed_request_is_refused(method, url, body, headers):
    with pytest.raises(SignatureError):
        VERIFIER.verify(method, url, {**signed(), **(headers or {})}, body)


def test_wrong_secret_unknown_key_other_region_and_tokens_are_refused():
    for headers in (signed(secret="guess"), signed(access_key="OTHER"),
                    signed(region="us-east-1"), {"Authorization": "Bearer abc.def.ghi"}, {}):
        with pytest.raises(SignatureError):
            VERIFIER.verify("POST", URL, headers, BODY)


def test_the_signing_time_is_within_five_minutes():
    headers = signed()
    at = signing_time(headers)
    VERIFIER.verify("POST", URL, headers, BODY, now=at + timedelta(minutes=4, seconds=59))
    for skew in (timedelta(minutes=5, seconds=1), -timedelta(minutes=5, seconds=1)):
        with pytest.raises(SignatureError):
            VERIFIER.verify("POST", URL, headers, BODY, now=at + skew)
