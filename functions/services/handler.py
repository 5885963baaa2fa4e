"""The services function: « Mes services », the place finder (agencies and partner health
professionals, towns for the town field) and teleconsultations."""

from domain.app import entry_point, make_app
from services.routes import places, teleconsultations

app = make_app(places.router, teleconsultations.router)
lambda_handler = entry_point(app)
