"""Routes of the members function: profile, account."""

from members import logic
from members.models import MeOut
from shared.http import caller, entry_point, make_app

app = make_app()


@app.get("/members/me")
def get_me() -> MeOut:
    return logic.get_me(caller(app))


lambda_handler = entry_point(app)
