"""The template is the one source of truth: its routes exist in the code, its policies stay
narrow (`make lint` runs cfn-lint on it)."""

import importlib
import json
import re

from infra.local import template


def test_every_template_route_has_its_code_and_no_route_is_hidden(monkeypatch):
    monkeypatch.setenv("TABLE_NAME", "t")
    declared = {}
    for r in template.routes():
        declared.setdefault(r.handler.rsplit(".", 1)[0], set()).add((r.method, r.path))
    for module, routes in declared.items():
        app = importlib.import_module(module).app
        code = set()
        for route in app._static_routes + app._dynamic_routes:
            path = re.sub(r"<(\w+)>", r"{\1}", route.path)
            code.add((route.method.upper(), path))
        assert routes == code, module


def test_layers_are_built_for_the_architecture_the_functions_run_on():
    """Defect: `sam build` read no BuildArchitecture in the PDF layer's Metadata, built it for
    its default (x86_64) and warned that the layer was for arm64."""
    functions = template.load()["Globals"]["Function"]["Architectures"]
    layers = template.resources("AWS::Serverless::LayerVersion")
    assert layers
    for name in layers:
        resource = template.load()["Resources"][name]
        built = resource.get("Metadata", {}).get("BuildArchitecture", "x86_64")
        assert [built] == functions, name
        assert built in resource["Properties"]["CompatibleArchitectures"], name


def test_policies_are_narrow():
    text = json.dumps(template.resources("AWS::Serverless::Function"))
    for broad in ("dynamodb:*", "s3:*", "dynamodb:Scan", "CrudPolicy", "FullAccess"):
        assert broad not in text



def test_the_content_security_policy_is_one_a_browser_accepts():
    """Defect: `https://cognito-idp.*.amazonaws.com` was ignored by browsers (a host wildcard
    may only stand for the leftmost label), so on AWS the page could not reach Cognito."""
    import re

    from infra.local.template import security_headers

    csp = security_headers()["Content-Security-Policy"]
    for directive in csp.split(";"):
        for source in directive.split()[1:]:
            host = re.sub(r"^https?://", "", source)
            if source.startswith("http"):
                assert "*" not in host.split(".", 1)[-1], source
    assert "https://cognito-idp.eu-west-3.amazonaws.com" in csp


def test_only_the_services_function_reaches_the_places_table():
    """« Mes services » has its own function: the places table left the support function's
    role, and the services function's role reaches no bucket, no mail and no user pool."""
    functions = template.resources("AWS::Serverless::Function")
    reaching = {name for name, props in functions.items()
                if "PlacesTable" in json.dumps(props.get("Policies"))}
    assert reaching == {"ServicesFunction"}
    policies = json.dumps(functions["ServicesFunction"]["Policies"])
    for other in ("s3:", "ses:", "cognito-idp:", "sqs:", "secretsmanager:"):
        assert other not in policies, other


def test_a_routes_url_names_its_function():
    """One guess from the URL: `/services/places` is in functions/services/, and so on; only
    `/public/…` routes, open to anyone, belong to the function of what they check."""
    for r in template.routes():
        first = r.path.strip("/").split("/")[0]
        function = r.handler.split(".")[0]
        assert first in (function, "public"), (r.method, r.path, function)
