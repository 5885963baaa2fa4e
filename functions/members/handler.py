"""The members function: profile, account."""

from members.routes import account, exports, history, profile, sessions
from shared.http import entry_point, make_app

app = make_app(profile.router, sessions.router, account.router, history.router, exports.router)
lambda_handler = entry_point(app)
