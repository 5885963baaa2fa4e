"""The support function: requests (demandes) of every kind, uploads, the advisors' workspace,
« Contact & aide » (messages, the wait, call-backs) and « Mes services » (places,
teleconsultation)."""

from domain.app import entry_point, make_app
from support.routes import (
    advisor,
    availability,
    callbacks,
    messages,
    places,
    requests,
    teleconsultation,
    threads,
    uploads,
)

app = make_app(uploads.router, requests.router, advisor.router, threads.router,
               messages.router, availability.router, callbacks.router, places.router,
               teleconsultation.router)
lambda_handler = entry_point(app)
