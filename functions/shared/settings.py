"""Settings of every function, read once from the environment through a pydantic model."""

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    table_name: str = Field(alias="TABLE_NAME")
    idempotency_table_name: str = Field(default="", alias="IDEMPOTENCY_TABLE_NAME")
    documents_bucket: str = Field(default="", alias="DOCUMENTS_BUCKET")
    region: str = Field(default="eu-west-3", alias="AWS_REGION")
    # Only the local stack sets endpoints; on AWS boto3 finds them itself.
    aws_endpoint_url: str | None = Field(default=None, alias="AWS_ENDPOINT_URL")
    # Cognito's public actions are unsigned, and moto would answer them from another region:
    # the local stack sends them through its own regional /cognito proxy.
    cognito_endpoint_url: str | None = Field(default=None, alias="COGNITO_ENDPOINT_URL")
    # Endpoint written into presigned URLs handed to the browser (local: the site's /s3 proxy).
    s3_public_endpoint: str | None = Field(default=None, alias="S3_PUBLIC_ENDPOINT")
    brand_name: str = Field(default="Mutuelle Clairval", alias="BRAND_NAME")
    user_pool_client_id: str = Field(default="", alias="USER_POOL_CLIENT_ID")
    # The advisors' own pool and client (a second factor for every sign-in): an advisor is
    # only ever someone whose token this client issued.
    advisors_client_id: str = Field(default="", alias="ADVISORS_CLIENT_ID")
    advisors_user_pool_id: str = Field(default="", alias="ADVISORS_USER_POOL_ID")
    # For the administrator calls of the account's life (creation, email, password reset).
    user_pool_id: str = Field(default="", alias="USER_POOL_ID")
    # The relay header Cognito's passkey actions need (the web ACLs allow them only with it).
    cognito_relay_secret_arn: str = Field(default="", alias="COGNITO_RELAY_SECRET_ARN")
    # The tiers payant card's harmonised block (inter-AMC), the mutuelle's own identifiers.
    amc_number: str = Field(default="99001234", alias="AMC_NUMBER")
    card_convention: str = Field(default="TP-CLAIRVAL", alias="CARD_CONVENTION")
    card_routing: str = Field(default="SP", alias="CARD_ROUTING")
    tiers_payant_phone: str = Field(default="01 99 00 12 34", alias="TIERS_PAYANT_PHONE")
    mail_from: str = Field(default="ne-pas-repondre@clairval.example", alias="MAIL_FROM")
    site_url: str = Field(default="https://espace-adherent.example.fr", alias="SITE_URL")
    brand_address: str | None = Field(default=None, alias="BRAND_ADDRESS")
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, alias="UPLOAD_MAX_BYTES")
    upload_max_files: int = Field(default=5, alias="UPLOAD_MAX_FILES")
    presign_seconds: int = Field(default=300, alias="PRESIGN_SECONDS")
    # The queue of « télécharger mes données » (the members function sends, its worker reads).
    exports_queue_url: str = Field(default="", alias="EXPORTS_QUEUE_URL")
    # The outbox relay's bus (EventBridge): what the portal tells the management system.
    event_bus_name: str = Field(default="", alias="EVENT_BUS_NAME")
    # « Mes services »: the places table (reference data) and the teleconsultation provider.
    places_table_name: str = Field(default="", alias="PLACES_TABLE_NAME")
    teleconsultation_provider: str = Field(default="sandbox", alias="TELECONSULTATION_PROVIDER")
    # The management system's inbox (files of FHIR resources) and its queue (S3 events, and
    # the continuation of a long file).
    inbox_bucket: str = Field(default="", alias="INBOX_BUCKET")
    inbox_queue_url: str = Field(default="", alias="INBOX_QUEUE_URL")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    import os

    return Settings.model_validate({k: v for k, v in os.environ.items() if v != ""})
