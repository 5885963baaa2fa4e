"""Every route stays within its DynamoDB budget: at most 3 calls to the data table per request
and never a Scan (counted through botocore's event hooks, warm container); a place search
makes at most 2 calls to the places table (its origin, then its cells). Creating routes
also make the idempotency table's own calls (Powertools: at most 2). An advisor has no member
file to read her closed sessions from: checking them is the one extra read per request the
logout gate allows. A route that asks for the password again counts the check first and gives
it back when the password is right (shared.attempts): two more writes, on these routes only.

And every AWS call a route makes is one its function's policy in template.yaml allows: moto
checks no permission, AWS does."""

import pytest

from infra.local import template
from tests.helpers import GESTION, aws_calls
from tests.routes import ADVISOR, OWNER, SAMPLES, InProcess, World

ROUTES = template.routes()
TABLE_BUDGET = 3
IDEMPOTENCY_BUDGET = 2
PASSWORD_CHECKED = {("POST", "/contract/bank-details"), ("POST", "/members/email-changes"),
                    ("POST", "/members/password"), ("POST", "/members/passkeys/options"),
                    ("POST", "/support/advisor/passkeys/options")}
# The places table (reference data): a town or a postcode, then the cells of one search.
PLACES_BUDGET = 2


@pytest.mark.parametrize("route", ROUTES, ids=[r.route_key for r in ROUTES])
def test_each_route_stays_within_its_dynamodb_budget(api, route):
    sample = SAMPLES[(route.method, route.path)]
    client = InProcess(api)
    world = World(client)
    path, body = sample.path(world), sample.body(world)
    user = {"advisor": ADVISOR, "system": GESTION}.get(sample.audience, OWNER)
    if user != GESTION:  # the management system has no account
        client.call("GET", "/members/me", user=user)  # a warm container knows the account
    with aws_calls() as calls:
        status, answer = client.call(route.method, path, body=body, headers=sample.headers(),
                                     user=user)
    assert status == sample.status, answer
    table = api.resources.names["Table"]
    # A batch read names its tables in RequestItems.
    dynamodb = [(op, params.get("TableName") or next(iter(params.get("RequestItems", {})), None))
                for service, op, params in calls if service == "dynamodb"]
    assert not [op for op, _ in dynamodb if op == "Scan"]
    on_table = [op for op, name in dynamodb if name == table or (
        op == "TransactWriteItems")]
    budget = TABLE_BUDGET + (1 if user == ADVISOR else 0) + (
        2 if (route.method, route.path) in PASSWORD_CHECKED else 0)
    assert len(on_table) <= budget, on_table
    on_places = [op for op, name in dynamodb if name == api.resources.names["PlacesTable"]]
    assert len(on_places) <= PLACES_BUDGET, on_places
    assert len(dynamodb) - len(on_table) - len(on_places) <= IDEMPOTENCY_BUDGET, dynamodb
    allowed = policy_actions(route.function)
    for service, operation, params in calls:
        for action in iam_actions(service, operation, params):
            assert action in allowed, f"{route.function} may not {action}"


# Cognito actions a user makes with her own credentials or token: no IAM permission involved.
PUBLIC_COGNITO = {"InitiateAuth", "GlobalSignOut", "RevokeToken", "GetUser",
                  "ChangePassword", "ForgotPassword", "ConfirmForgotPassword",
                  "UpdateUserAttributes", "VerifyUserAttribute", "SignUp", "ConfirmSignUp",
                  "GetUserAttributeVerificationCode", "RespondToAuthChallenge",
                  # Passkeys: her token, and the relay header the web ACL asks for.
                  "StartWebAuthnRegistration", "CompleteWebAuthnRegistration",
                  "ListWebAuthnCredentials", "DeleteWebAuthnCredential"}


def iam_actions(service: str, operation: str, params: dict) -> list[str]:
    if service == "cognito" and operation in PUBLIC_COGNITO:
        return []
    if service == "cognito":
        return [f"cognito-idp:{operation}"]
    if service == "dynamodb" and operation == "TransactWriteItems":
        kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                 "ConditionCheck": "ConditionCheckItem"}
        return [f"dynamodb:{kinds[k]}" for item in params["TransactItems"] for k in item]
    if service == "s3" and operation == "CopyObject":
        # Copying a given version of the source takes its own permission.
        source = params["CopySource"]  # botocore may have written it as "bucket/key?versionId="
        versioned = source.get("VersionId") if isinstance(source, dict) else "versionId=" in source
        version = ["s3:GetObjectVersion"] if versioned else []
        return ["s3:GetObject", "s3:PutObject", *version]
    if service == "s3" and operation == "ListObjectsV2":
        return ["s3:ListBucket"]
    return [f"{service}:{operation}"]


def policy_actions(function: str) -> set[str]:
    props = template.resources("AWS::Serverless::Function")[function]
    actions: set[str] = set()
    for policy in props.get("Policies", []):
        for statement in policy.get("Statement", []):
            if statement.get("Effect") == "Allow":
                found = statement["Action"]
                actions |= set(found if isinstance(found, list) else [found])
    return actions
