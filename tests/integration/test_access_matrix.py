"""Every route of template.yaml × every kind of caller, through the local stack's gateway with
real tokens: no token, an expired one, one of a closed session → 401; another member on one of
Fatima's objects → 404, exactly like a missing one; an advisor (a token of the advisors' pool,
second factor given) on a member route, or a member on an advisor route → 401, as each route's
authorizer takes one pool's tokens only; the owner → her answer; a trusted person acting for
her → her answer within the procuration's scope, 403 beyond it or once it ended. Generated
from the template: a new route without a sample fails here."""


import jwt
import pytest

from infra.local import template
from shared import clock
from tests.helpers import GESTION
from tests.routes import ADVISOR, OTHER, OWNER, SAMPLES, TRUSTED, Http, World


@pytest.fixture(scope="module")
def http(local_stack):
    return Http(local_stack)


@pytest.fixture(scope="module")
def bad_tokens(http, local_stack):
    owner = http.token(OWNER)
    claims = jwt.decode(owner, options={"verify_signature": False})
    expired = jwt.encode(dict(claims, iat=clock.epoch() - 3600,
                              exp=clock.epoch() - 60),
                         local_stack.signing_key_pem, algorithm="RS256",
                         headers={"kid": "dummy"})
    closed = http.login(OWNER)
    assert http.call("POST", "/members/logout", token=closed, body={})[0] == 204
    return {"no token": "", "expired token": expired, "closed session": closed}


ROUTES = template.routes()


def test_every_route_has_a_sample():
    missing = [r.route_key for r in ROUTES if (r.method, r.path) not in SAMPLES]
    assert not missing, f"add these routes to tests/routes.py: {missing}"


@pytest.mark.parametrize("route", ROUTES, ids=[r.route_key for r in ROUTES])
def test_each_caller_gets_what_is_due(http, bad_tokens, route):
    sample = SAMPLES[(route.method, route.path)]
    world = World(http)
    path = sample.path(world)
    logout = route.path in ("/members/logout", "/support/advisor/logout")

    def call(**who):
        return http.call(route.method, path, body=sample.body(world),
                         headers=sample.headers(), **who)

    if sample.audience == "system":
        # IAM-signed calls only: whatever token comes, the gateway answers 403.
        for case, token in bad_tokens.items():
            status, body = call(token=token)
            assert status == 403, (case, status, body)
        for who in (OWNER, OTHER, ADVISOR):
            status, body = call(user=who)
            assert status == 403, (who, status, body)
        status, body = call(user=GESTION)
        assert status == sample.status, ("management system", status, body)
        return
    if sample.audience == "public":
        # Reachable without signing in (a token, good or bad, changes nothing).
        for case, token in [*bad_tokens.items(), ("another member", None)]:
            status, body = call(token=token) if token is not None else call(user=OTHER)
            assert status == sample.status, (case, status, body)
        return
    for case, token in bad_tokens.items():
        status, body = call(token=token)
        assert status == 401, (case, status, body)
    if sample.owned:
        status, body = call(user=OTHER)
        assert status == 404, ("another member", status, body)
        assert "introuvable" in body["message"].lower()
    if sample.audience == "advisor":
        # A member's token is not taken by the advisors' authorizer.
        for member in (OWNER, OTHER):
            status, body = call(user=member)
            assert status == 401, ("member on an advisor route", status, body)
    advisor = {"token": http.login(ADVISOR)} if logout else {"user": ADVISOR}
    status, body = call(**advisor)
    expected = sample.status if sample.audience == "advisor" else 401
    assert status == expected, ("advisor", status, body)
    if sample.audience != "advisor":
        owner = {"token": http.login(OWNER)} if logout else {"user": OWNER}
        status, body = call(**owner)
        assert status == sample.status, ("owner", status, body)


@pytest.fixture
def ended_member(local_stack):
    """Paul, every contract of his ended yesterday (as a terminated Coverage writes it), for
    one test only: the other tests of the stack, in any order, use Paul as « another member »
    whose objects are 404, not 403."""
    from datetime import timedelta

    from tests.notices import set_end_date, stack_table

    table = stack_table(local_stack)
    paul = local_stack.demo["members"][OTHER]["member_id"]
    set_end_date(table, paul, (clock.today() - timedelta(days=1)).isoformat())
    yield OTHER
    set_end_date(table, paul, None)


@pytest.mark.parametrize("route", ROUTES, ids=[r.route_key for r in ROUTES])
def test_a_member_whose_cover_ended_keeps_her_documents_only(http, ended_member, route):
    """Every member route: 403 saying when her contract ended and what is left, except her
    documents, statements and data export (domain.access.OPEN_AFTER_END)."""
    from domain.access import OPEN_AFTER_END

    sample = SAMPLES[(route.method, route.path)]
    if sample.audience in ("public", "advisor", "system"):
        return  # not hers: the other tests of this file cover them
    world = World(http)
    # Signing out closes the session it is called with: a session of its own.
    who = {"token": http.login(ended_member)} if route.path == "/members/logout" \
        else {"user": ended_member}
    status, body = http.call(route.method, sample.path(world), body=sample.body(world),
                             headers=sample.headers(), **who)
    if route.route_key in OPEN_AFTER_END:
        assert status != 403, (status, body)
    else:
        assert status == 403, (status, body)
        assert body["code"] == "contract_ended" and "a pris fin le" in body["message"]


@pytest.fixture(scope="module")
def trusted(http):
    """Marc, a trusted person with no contract of his own, holding a procuration of Fatima's
    (« act ») and one she ended; Paul holding one to read (one open per address)."""
    world = World(http)
    ended = world.procuration(TRUSTED, "act")
    assert http.call("POST", f"/members/procurations/{ended['id']}/end", user=OWNER)[0] == 204
    return {"act": (TRUSTED, world.procuration(TRUSTED, "act")),
            "read": (OTHER, world.procuration(OTHER, "read")), "ended": (TRUSTED, ended)}


@pytest.mark.parametrize("route", ROUTES, ids=[r.route_key for r in ROUTES])
def test_a_trusted_person_reaches_her_scope_only(http, trusted, route):
    """Marc (or Paul) acting for Fatima (header X-Act-For): within the procuration's scope he
    gets what she gets; beyond it (her profile, email, password, passkeys, sessions, bank
    details, IBAN checks, card payments, exports...) 403 `beyond_procuration`; with a
    procuration she ended, 403 `procuration_ended` at once (not at the token's expiry)."""
    from domain.procurations import allowed

    sample = SAMPLES[(route.method, route.path)]
    if sample.audience in ("public", "advisor", "system"):
        return  # no member's space to act in (a public route ignores the header)
    world = World(http)

    def call(held: tuple[str, dict]):
        grantee, procuration = held
        who = {"token": http.login(grantee)} if route.path == "/members/logout" \
            else {"user": grantee}
        return http.call(route.method, sample.path(world), body=sample.body(world),
                         headers={**sample.headers(), "X-Act-For": procuration["id"]}, **who)

    status, body = call(trusted["ended"])
    assert status == 403 and body["code"] == "procuration_ended", (status, body)
    for scope in ("read", "act"):
        status, body = call(trusted[scope])
        if allowed(scope, route.route_key):
            assert status == sample.status, (scope, status, body)
        else:
            assert status == 403 and body["code"] == "beyond_procuration", (scope, status, body)
            assert not route.path.startswith("/members/") or "réservés" in body["message"]
    assert not allowed("act", route.route_key) or not route.path.startswith(
        ("/members/", "/contract/bank-details", "/contract/iban-checks", "/contract/payments"))
