"""The contract function: « Mon contrat », the card and its public check, guarantees,
contributions and their payment by card, the changes members ask for, and the card in the
phone's wallet (with Apple's pass web service)."""

from contract.routes import card, changes, contract, payments, termination, wallet
from domain.app import entry_point, make_app

app = make_app(contract.router, card.router, changes.router, payments.router,
               termination.router, wallet.router)
lambda_handler = entry_point(app)
