"""The contract function: « Mon contrat », the card and its public check, guarantees,
contributions and their payment by card, and the changes members ask for."""

from contract.routes import card, changes, contract, payments, termination
from domain.app import entry_point, make_app

app = make_app(contract.router, card.router, changes.router, payments.router,
               termination.router)
lambda_handler = entry_point(app)
