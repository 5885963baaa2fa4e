"""The members function: profile, account."""

from domain.app import entry_point, make_app
from members.routes import (
    account,
    devices,
    exports,
    history,
    passkeys,
    procurations,
    profile,
    sessions,
)

app = make_app(profile.router, sessions.router, account.router, history.router, exports.router,
               passkeys.router, procurations.router, devices.router)
lambda_handler = entry_point(app)
