"""The system function: the management system's calls (`/system/...`, IAM-signed)."""

from domain.app import entry_point, make_app
from system.routes import fhir

app = make_app(fhir.router)
lambda_handler = entry_point(app)
