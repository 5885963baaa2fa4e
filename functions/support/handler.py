"""The support function: requests (demandes) of every kind, uploads, the advisors' workspace."""

from shared.http import entry_point, make_app
from support.routes import advisor, requests, uploads

app = make_app(uploads.router, requests.router, advisor.router)
lambda_handler = entry_point(app)
