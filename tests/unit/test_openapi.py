from infra.local import template
from infra.openapi import build

# Apple's pass web service: a call naming a pass carries the pass's own token (401 without).
PASS_TOKEN_ROUTES = {
    "/public/wallet/apple/v1/devices/{device}/registrations/{pass_type}/{serial}",
    "/public/wallet/apple/v1/passes/{pass_type}/{serial}"}


def test_openapi_documents_every_route_with_its_errors():
    doc = build()
    for route in template.routes():
        operation = doc["paths"][route.path][route.method.lower()]
        assert {"400", "404", "503"} <= set(operation["responses"])
        if route.public:  # no sign-in: no token to refuse (Apple's devices: their pass's)
            assert operation["security"] == []
            assert ("401" in operation["responses"]) == (route.path in PASS_TOKEN_ROUTES)
        elif route.authorizer == "AWS_IAM":  # signed by the management system, no token
            assert operation["security"] == [{"sigv4": []}]
            assert "401" not in operation["responses"] and "403" in operation["responses"]
        else:
            assert "401" in operation["responses"] and "security" not in operation
    create = doc["paths"]["/claims/estimates"]["post"]
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EstimateOut")
    estimate = doc["components"]["schemas"]["EstimateIn"]["properties"]
    assert {"beneficiary_id", "act_code", "care_date", "price_cents", "practitioner",
            "care_pathway"} <= set(estimate)


def test_the_gateways_own_answers_are_allowed_on_every_route_they_reach():
    """The gateway throttles public routes and refuses tokens before the function runs: its
    {message} body is documented even where the route declares its own 429."""
    doc = build()
    either = {"anyOf": [{"$ref": "#/components/schemas/Error"},
                        {"$ref": "#/components/schemas/GatewayError"}]}
    for route in template.routes():
        responses = doc["paths"][route.path][route.method.lower()]["responses"]
        status = "429" if route.public else "403" if route.authorizer == "AWS_IAM" else "401"
        assert responses[status]["content"]["application/json"]["schema"] == either, route.path
