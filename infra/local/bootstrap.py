"""Create the template's tables, buckets, user pool, client and groups on moto.

Used by the local stack (moto server) and by the integration tests (moto's mock_aws).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

from infra.local import template

REGION = "eu-west-3"


@dataclass(frozen=True)
class Resources:
    names: dict[str, str]  # logical id -> physical name / id
    user_pool_id: str  # the members' pool and client
    client_id: str

    @property
    def advisors_pool_id(self) -> str:
        return self.names["AdvisorsUserPool"]

    @property
    def advisors_client_id(self) -> str:
        return self.names["AdvisorsUserPoolClient"]

    def env(self, function: str) -> dict[str, str]:
        return template.function_environment(function, self.names)


def _table_args(name: str, props: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if props.get("StreamSpecification"):  # the outbox relay's source (infra/local/streams.py)
        args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    return args


def _generated_secret(props: dict[str, Any]) -> str:
    """What Secrets Manager's GenerateSecretString makes (moto does not): the template's JSON
    with one random key added."""
    import json
    import secrets
    import string

    spec = props.get("GenerateSecretString") or {}
    alphabet = string.ascii_letters + string.digits
    value = "".join(secrets.choice(alphabet) for _ in range(spec.get("PasswordLength", 32)))
    if "GenerateStringKey" not in spec:
        return value
    data = json.loads(spec.get("SecretStringTemplate") or "{}")
    data[spec["GenerateStringKey"]] = value
    return json.dumps(data)


def _local_secret(logical: str, props: dict[str, Any]) -> str:
    """A secret's local value: the wallet's test keys, a template's fixed value, or what
    GenerateSecretString would make."""
    if logical == "WalletSecret":
        from infra.local import wallet_keys

        return wallet_keys.generate()
    if "SecretString" in props:
        return props["SecretString"]
    return _generated_secret(props)


def create_all(endpoint_url: str | None = None, *, suffix: str = "local",
               passkey_rp_id: str | None = None) -> Resources:
    session = boto3.session.Session(region_name=REGION)
    ddb = session.client("dynamodb", endpoint_url=endpoint_url)
    s3 = session.client("s3", endpoint_url=endpoint_url)
    idp = session.client("cognito-idp", endpoint_url=endpoint_url)
    names: dict[str, str] = {}

    for logical, props in template.resources("AWS::DynamoDB::Table").items():
        name = f"{logical}-{suffix}"
        ddb.create_table(**_table_args(name, props))
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        names[logical] = name

    for logical, props in template.resources("AWS::S3::Bucket").items():
        name = f"{logical.lower()}-{suffix}"
        s3.create_bucket(Bucket=name,
                         CreateBucketConfiguration={"LocationConstraint": REGION})
        if props.get("VersioningConfiguration"):
            s3.put_bucket_versioning(Bucket=name,
                                     VersioningConfiguration=props["VersioningConfiguration"])
        names[logical] = name

    # Queues, dead-letter queues first: a queue's redrive policy names its target's ARN.
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    arns: dict[str, str] = {}
    queues = template.resources("AWS::SQS::Queue")
    for logical, props in sorted(queues.items(), key=lambda q: "RedrivePolicy" in q[1]):
        attributes = {k: str(props[k]) for k in ("VisibilityTimeout", "MessageRetentionPeriod",
                                                 "DelaySeconds") if k in props}
        redrive = props.get("RedrivePolicy")
        if redrive:
            target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
            attributes["RedrivePolicy"] = json.dumps({
                "deadLetterTargetArn": arns[target],
                "maxReceiveCount": str(redrive["maxReceiveCount"])})
        url = sqs.create_queue(QueueName=f"{logical}-{suffix}",
                               Attributes=attributes)["QueueUrl"]
        arns[logical] = sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        names[logical] = url  # what `!Ref` of a queue gives: its URL

    # S3 -> SQS notifications (the inbox): moto then sends each new object's event itself.
    for logical, props in template.resources("AWS::S3::Bucket").items():
        queues_of = (props.get("NotificationConfiguration") or {}).get("QueueConfigurations")
        if not queues_of:
            continue
        s3.put_bucket_notification_configuration(
            Bucket=names[logical], NotificationConfiguration={"QueueConfigurations": [{
                "QueueArn": arns[q["Queue"]["Fn::GetAtt"][0]], "Events": [q["Event"]],
                **({"Filter": {"Key": {"FilterRules": q["Filter"]["S3Key"]["Rules"]}}}
                   if q.get("Filter") else {})} for q in queues_of]})
    # The bus and its rules, each delivering to its SQS targets (moto's EventBridge sends
    # to SQS targets itself).
    events = session.client("events", endpoint_url=endpoint_url)
    for logical in template.resources("AWS::Events::EventBus"):
        names[logical] = f"{logical}-{suffix}"
        events.create_event_bus(Name=names[logical])
    for logical, props in template.resources("AWS::Events::Rule").items():
        bus = names[props["EventBusName"]["Ref"]]
        events.put_rule(Name=f"{logical}-{suffix}", EventBusName=bus,
                        EventPattern=json.dumps(props["EventPattern"]))
        events.put_targets(Rule=f"{logical}-{suffix}", EventBusName=bus, Targets=[
            {"Id": target["Id"], "Arn": arns[target["Arn"]["Fn::GetAtt"][0]]}
            for target in props["Targets"]])
        names[logical] = f"{logical}-{suffix}"

    for logical, props in template.resources("AWS::Cognito::UserPool").items():
        pool = idp.create_user_pool(
            PoolName=f"{logical}-{suffix}",
            UsernameAttributes=props["UsernameAttributes"],
            AutoVerifiedAttributes=props.get("AutoVerifiedAttributes", []),
            Policies=props["Policies"],
            AdminCreateUserConfig=props.get("AdminCreateUserConfig", {}),
            # What Cognito's own ForgotPassword may do (admin_only: nothing, ours is the way).
            **{k: props[k] for k in ("AccountRecoverySetting", "UserAttributeUpdateSettings")
               if k in props},
        )["UserPool"]
        names[logical] = pool["Id"]
        mfa: dict[str, Any] = {}
        if props.get("MfaConfiguration", "OFF") != "OFF":
            mfa["SoftwareTokenMfaConfiguration"] = {
                "Enabled": "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", [])}
        if "WebAuthnRelyingPartyID" in props:
            # What CloudFormation does with the pool's WebAuthn* properties; the relying
            # party is the stack's own host locally (a template parameter on AWS).
            mfa["WebAuthnConfiguration"] = {
                "RelyingPartyId": passkey_rp_id or template.parameter_default(
                    props["WebAuthnRelyingPartyID"]["Ref"]),
                "UserVerification": props.get("WebAuthnUserVerification", "preferred"),
                "FactorConfiguration": props.get("WebAuthnFactorConfiguration",
                                                 "SINGLE_FACTOR")}
        if mfa:
            idp.set_user_pool_mfa_config(
                UserPoolId=pool["Id"], MfaConfiguration=props.get("MfaConfiguration", "OFF"),
                **mfa)

    for logical, props in template.resources("AWS::Cognito::UserPoolClient").items():
        args = {k: props[k] for k in (
            "ClientName", "GenerateSecret", "ExplicitAuthFlows", "PreventUserExistenceErrors",
            "EnableTokenRevocation", "AccessTokenValidity", "IdTokenValidity",
            "RefreshTokenValidity", "TokenValidityUnits", "ReadAttributes",
            "WriteAttributes") if k in props}
        pool_id = names[props["UserPoolId"]["Ref"]]
        names[logical] = idp.create_user_pool_client(
            UserPoolId=pool_id, **args)["UserPoolClient"]["ClientId"]

    ses = session.client("ses", endpoint_url=endpoint_url)
    for props in template.resources("AWS::SES::EmailIdentity").values():
        identity = props["EmailIdentity"]
        if isinstance(identity, dict):
            identity = template.parameter_default(identity["Ref"])
        if "@" in identity:
            ses.verify_email_identity(EmailAddress=identity)
        else:
            ses.verify_domain_identity(Domain=identity)

    secrets_manager = session.client("secretsmanager", endpoint_url=endpoint_url)
    for logical, props in template.resources("AWS::SecretsManager::Secret").items():
        arn = secrets_manager.create_secret(
            Name=f"{logical}-{suffix}", SecretString=_local_secret(logical, props))["ARN"]
        names[logical] = arn  # what !Ref of a secret gives

    for props in template.resources("AWS::Cognito::UserPoolGroup").values():
        idp.create_group(UserPoolId=names[props["UserPoolId"]["Ref"]],
                         GroupName=props["GroupName"], Description=props.get("Description", ""))

    return Resources(names=names, user_pool_id=names["UserPool"],
                     client_id=names["UserPoolClient"])
