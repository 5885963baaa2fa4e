"""The documents function: « Mes documents » (every document of hers, filtered, downloaded by
short links), « Mes attestations » and the attestations' public check."""

from documents.routes import attestations, documents
from domain.app import entry_point, make_app

app = make_app(documents.router, attestations.router)
lambda_handler = entry_point(app)
