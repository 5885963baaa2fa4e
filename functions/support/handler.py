"""The support function: the support a member gets. Requests (demandes) of every kind and the
advisors' processing of them, uploads, conversations, the wait and call-backs, the advisors'
session. « Mes services » is the services function."""

from domain.app import entry_point, make_app
from support.routes import (
    availability,
    callbacks,
    passkeys,
    requests,
    sessions,
    threads,
    uploads,
)

app = make_app(uploads.router, requests.router, sessions.router, threads.router,
               availability.router, callbacks.router, passkeys.router)
lambda_handler = entry_point(app)
