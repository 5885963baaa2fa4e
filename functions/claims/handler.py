"""The claims function: « Mes remboursements », estimates, statements."""

from claims.routes import estimates, notices, overpayments, reimbursements, statements
from domain.app import entry_point, make_app

# reimbursements last: its /claims/<claim_id> must not shadow the others' literal paths.
app = make_app(estimates.router, statements.router, notices.router, overpayments.router,
               reimbursements.router)
lambda_handler = entry_point(app)
