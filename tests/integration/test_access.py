"""The local stack's gateway: every token problem is a 401 before any handler runs."""

import gzip
import json
import urllib.error
import urllib.request
from importlib import resources

import jwt
import pytest

from shared import clock


@pytest.fixture(scope="module")
def stack(local_stack):
    return local_stack


def call(stack, path, token=None, method="GET"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(stack.base_url + path, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def login(stack, email, password="Demo-Adherent-2026!", client_id=None):
    idp = stack.client("cognito-idp")
    return idp.initiate_auth(ClientId=client_id or stack.resources.client_id,
                             AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": email, "PASSWORD": password},
                             )["AuthenticationResult"]


def moto_development_key():
    """The key moto ships in its sources and signs every pool's tokens with by default."""
    path = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz")
    return jwt.PyJWK(json.loads(gzip.decompress(path.read_bytes())))


def mint(stack, claims):
    """A token signed with the pool's own key (to make expired or foreign-issuer tokens)."""
    return jwt.encode(claims, stack.signing_key_pem, algorithm="RS256",
                      headers={"kid": "dummy"})


def test_valid_access_token_reaches_the_handler(stack):
    token = login(stack, "fatima.l@example.fr")["AccessToken"]
    status, body = call(stack, "/api/members/me", token)
    assert status == 200 and body["display_name"] == "Fatima L."


@pytest.mark.parametrize("case", ["missing", "garbage", "id_token", "tampered", "expired",
                                  "other_client", "other_issuer", "moto_development_key"])
def test_bad_tokens_get_401(stack, case):
    tokens = login(stack, "fatima.l@example.fr")
    access = tokens["AccessToken"]
    claims = jwt.decode(access, options={"verify_signature": False})
    if case == "missing":
        token = None
    elif case == "garbage":
        token = "abc.def.ghi"
    elif case == "id_token":
        token = tokens["IdToken"]
    elif case == "tampered":
        head, payload, sig = access.split(".")
        other = dict(claims, sub=stack.demo["members"]["paul.m@example.fr"]["sub"])
        fake = jwt.encode(other, "x" * 32, algorithm="HS256").split(".")[1]
        token = ".".join([head, fake, sig])
    elif case == "expired":
        token = mint(stack, dict(claims, exp=clock.epoch() - 60, iat=clock.epoch() - 960))
    elif case == "moto_development_key":
        # Defect: anyone could sign a token for any member with the key in moto's sources.
        key = moto_development_key()
        other = dict(claims, sub=stack.demo["members"]["paul.m@example.fr"]["sub"])
        token = jwt.encode(other, key.key, algorithm="RS256", headers={"kid": key.key_id})
    elif case == "other_client":
        idp = stack.client("cognito-idp")
        other = idp.create_user_pool_client(
            UserPoolId=stack.resources.user_pool_id, ClientName="other",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
        token = login(stack, "fatima.l@example.fr", client_id=other)["AccessToken"]
    else:
        token = mint(stack, dict(claims, iss="https://cognito-idp.eu-west-3.amazonaws.com/x"))
    status, _ = call(stack, "/api/claims", token)
    assert status == 401


def test_unknown_email_and_wrong_password_look_the_same(stack):
    def attempt(email):
        req = urllib.request.Request(
            stack.base_url + "/cognito", method="POST",
            data=json.dumps({"AuthFlow": "USER_PASSWORD_AUTH",
                             "ClientId": stack.resources.client_id,
                             "AuthParameters": {"USERNAME": email,
                                                "PASSWORD": "pas-le-bon-mot-de-passe"}}).encode(),
            headers={"Content-Type": "application/x-amz-json-1.1",
                     "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
        try:
            urllib.request.urlopen(req)
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        raise AssertionError("login should fail")

    assert attempt("fatima.l@example.fr") == attempt("personne@example.fr")


def test_site_is_served_with_security_headers(stack):
    with urllib.request.urlopen(stack.base_url + "/") as r:
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    with urllib.request.urlopen(stack.base_url + "/config.json") as r:
        config = json.loads(r.read())
    assert config["clientId"] == stack.resources.client_id
    assert config["apiBase"] == "/api"


def test_a_token_minted_with_the_pools_key_passes(stack):
    """The mint() above is a real check: the same key and claims are accepted."""
    claims = jwt.decode(login(stack, "fatima.l@example.fr")["AccessToken"],
                        options={"verify_signature": False})
    assert call(stack, "/api/members/me", mint(stack, claims))[0] == 200


def test_s3_proxy_only_passes_presigned_requests(stack):
    bucket = stack.resources.names["DocumentsBucket"]
    for method, path in [("GET", f"/s3/{bucket}"), ("GET", f"/s3/{bucket}/members/x.pdf"),
                         ("PUT", f"/s3/{bucket}/x"), ("DELETE", f"/s3/{bucket}/x")]:
        req = urllib.request.Request(stack.base_url + path, method=method)
        try:
            urllib.request.urlopen(req)
            status = 200
        except urllib.error.HTTPError as e:
            status = e.code
        assert status in (403, 405), (method, path, status)
