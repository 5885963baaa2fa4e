"""Helpers of the account tests: the emails the functions sent (moto's SES, in-process), the
code they carry, real Cognito tokens, and the stored items."""

from __future__ import annotations

import re
import uuid

import boto3
import jwt

from tests.helpers import sent_mail

CODE = re.compile(r"^\s+(\d{6})\s*$", re.M)


def mails_to(address: str) -> list[dict]:
    """Emails sent to `address`, newest first."""
    return [m for m in sent_mail() if address in m["to"]]


def count_to(address: str) -> int:
    return len(mails_to(address))


def code_from(mail: dict) -> str:
    found = CODE.search(mail["body"])
    assert found, mail["body"]
    return found.group(1)


def last_code(address: str) -> str:
    return code_from(mails_to(address)[0])


def idp():
    return boto3.client("cognito-idp", region_name="eu-west-3")


def table(api):
    return boto3.resource("dynamodb", region_name="eu-west-3").Table(
        api.resources.names["Table"])


def item(api, pk: str, sk: str) -> dict | None:
    return table(api).get_item(Key={"pk": pk, "sk": sk}).get("Item")


def member_items(api, member_id: str, prefix: str = "") -> list[dict]:
    from boto3.dynamodb.conditions import Key

    condition = Key("pk").eq(f"MEMBER#{member_id}")
    if prefix:
        condition &= Key("sk").begins_with(prefix)
    return table(api).query(KeyConditionExpression=condition)["Items"]


def audit_actions(api, member_id: str) -> list[str]:
    return [i["action"] for i in member_items(api, member_id, "AUDIT#")]


def sign_in(api, email: str, password: str) -> dict | None:
    """Cognito's tokens for email + password, or None when refused."""
    try:
        return idp().initiate_auth(
            ClientId=api.resources.client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password})["AuthenticationResult"]
    except idp().exceptions.NotAuthorizedException:
        return None
    except idp().exceptions.UserNotFoundException:
        return None


def as_caller(tokens: dict) -> dict:
    """What the gateway hands the function for this access token: its claims and header."""
    claims = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    claims.setdefault("origin_jti", claims.get("jti"))
    return {"claims": claims,
            "headers": {"authorization": f"Bearer {tokens['AccessToken']}"}}


def new_member(api, *, email: str | None = None, password: str = "Demo-Adherent-2026!",
               account: bool = True, birth: str = "1990-05-04") -> dict:
    """A member of her own for a test that changes things (her file like an enrolment makes
    it, and her account when `account`)."""
    from datetime import date

    from domain.membership import Beneficiary, Contract, PostalAddress, Profile, file_items

    member_id = f"{uuid.uuid4().int % 10**10:010d}"
    email = email or f"m{member_id}@example.fr"
    pk = f"MEMBER#{member_id}"
    items = file_items(
        pk, Profile(member_id=member_id, first_name="Léa", last_name="Test", email=email,
                    address=PostalAddress(line1="1 rue de la Paix", postcode="75002",
                                          city="Paris")),
        [Contract(id="CT1", formula_id="essentielle", formula_label="Essentielle",
                  start_date=date(2024, 1, 1))],
        [Beneficiary(id="B01", first_name="Léa", last_name="Test",
                     birth_date=date.fromisoformat(birth), rank="01", relationship="member")])
    info = {"member_id": member_id, "email": email, "password": password, "birth": birth}
    if account:
        pool = api.resources.user_pool_id
        idp().admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS",
                                UserAttributes=[{"Name": "email", "Value": email},
                                                {"Name": "email_verified", "Value": "true"}])
        idp().admin_set_user_password(UserPoolId=pool, Username=email, Password=password,
                                      Permanent=True)
        attrs = idp().admin_get_user(UserPoolId=pool, Username=email)["UserAttributes"]
        sub = next(a["Value"] for a in attrs if a["Name"] == "sub")
        items += [{"pk": f"ACCOUNT#{sub}", "sk": "ACCOUNT", "type": "account",
                   "member_id": member_id, "role": "member"},
                  {"pk": pk, "sk": "FILE#ACCOUNT", "type": "account_link", "sub": sub}]
        info["sub"] = sub
    with table(api).batch_writer() as batch:
        for stored in items:
            batch.put_item(Item=stored)
    return info


def caller_of(api, info: dict) -> dict:
    """Signs her in: the claims and header of a fresh session."""
    tokens = sign_in(api, info["email"], info["password"])
    assert tokens, info
    return as_caller(tokens)
