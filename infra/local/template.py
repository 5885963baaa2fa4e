"""Read template.yaml: the one source of truth for tables, buckets, the user pool and routes.

The local stack and the integration tests build everything from here, so no key schema, route
or setting is written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: res.get("Properties", {}) for name, res in load()["Resources"].items()
            if res["Type"] == kind}


def parameter_default(name: str) -> Any:
    return load()["Parameters"][name].get("Default")


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway style: /claims/{claim_id}
    function: str
    handler: str  # module.attr, e.g. claims.handler.lambda_handler
    pattern: re.Pattern = field(compare=False)
    public: bool = False  # `Auth: {Authorizer: NONE}`: no token asked
    authorizer: str = "CognitoAuthorizer"  # the HttpApi's authorizer that checks its tokens

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def specificity(self) -> tuple[int, int]:
        # API Gateway prefers literal segments over variables: mimic that.
        segments = self.path.strip("/").split("/")
        return (sum(1 for s in segments if not s.startswith("{")), len(segments))


def _pattern(path: str) -> re.Pattern:
    regex = re.sub(r"\\\{([a-zA-Z_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(path))
    return re.compile(f"^{regex}$")


def default_authorizer() -> str:
    for props in resources("AWS::Serverless::HttpApi").values():
        return props["Auth"]["DefaultAuthorizer"]
    return "NONE"


def authorizers() -> dict[str, dict[str, str]]:
    """Each JWT authorizer of the HttpApi: the user pool and client (logical ids) whose access
    tokens it accepts."""
    found = {}
    for props in resources("AWS::Serverless::HttpApi").values():
        for name, spec in props["Auth"]["Authorizers"].items():
            jwt = spec["JwtConfiguration"]
            pool = re.search(r"\$\{(\w+)\}$", jwt["issuer"]["Fn::Sub"]).group(1)
            found[name] = {"pool": pool, "client": jwt["audience"][0]["Ref"]}
    return found


def client_pools() -> dict[str, str]:
    """Each app client (logical id) and its user pool's."""
    return {name: props["UserPoolId"]["Ref"]
            for name, props in resources("AWS::Cognito::UserPoolClient").items()}


def routes() -> list[Route]:
    out = []
    for name, props in resources("AWS::Serverless::Function").items():
        for event in (props.get("Events") or {}).values():
            if event.get("Type") != "HttpApi":
                continue
            p = event["Properties"]
            authorizer = (p.get("Auth") or {}).get("Authorizer") or default_authorizer()
            out.append(Route(p["Method"].upper(), p["Path"], name, props["Handler"],
                             _pattern(p["Path"]), authorizer == "NONE", authorizer))
    return sorted(out, key=lambda r: r.specificity, reverse=True)


def route_throttles() -> dict[str, tuple[int, float]]:
    """The HttpApi's per-route throttling (RouteSettings): route key -> (burst, rate/s)."""
    for props in resources("AWS::Serverless::HttpApi").values():
        settings = props.get("RouteSettings") or {}
        return {key: (int(value["ThrottlingBurstLimit"]), float(value["ThrottlingRateLimit"]))
                for key, value in settings.items()
                if "ThrottlingBurstLimit" in value and "ThrottlingRateLimit" in value}
    return {}


def function_environment(function: str, refs: dict[str, str]) -> dict[str, str]:
    """Globals + the function's own variables, with !Ref resolved through `refs`."""
    tpl = load()
    env = dict(tpl.get("Globals", {}).get("Function", {}).get("Environment", {})
               .get("Variables", {}))
    props = resources("AWS::Serverless::Function")[function]
    env.update(props.get("Environment", {}).get("Variables", {}))
    resolved = {}
    for key, value in env.items():
        if isinstance(value, dict) and "Ref" in value:
            ref = value["Ref"]
            value = refs.get(ref, parameter_default(ref) if ref in tpl["Parameters"] else None)
        if value is not None:
            resolved[key] = str(value)
    return resolved


def substitute(value: Any, names: dict[str, str]) -> str:
    """A plain string, or an `!Sub` of pseudo parameters and names."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return re.sub(r"\$\{([^}]+)\}", lambda m: names[m.group(1)], value["Fn::Sub"])
    return str(value)


def default_headers() -> dict[str, str]:
    """The headers CloudFront adds to an answer that has none of them (SiteHeadersPolicy's
    custom headers that do not override the origin's)."""
    config = resources("AWS::CloudFront::ResponseHeadersPolicy")["SiteHeadersPolicy"][
        "ResponseHeadersPolicyConfig"].get("CustomHeadersConfig", {})
    return {item["Header"]: item["Value"] for item in config.get("Items", [])
            if not item.get("Override")}


def security_headers(region: str = "eu-west-3") -> dict[str, str]:
    """The headers CloudFront adds to every answer (SiteHeadersPolicy), as the local server
    must send them too: written once, in the template."""
    config = resources("AWS::CloudFront::ResponseHeadersPolicy")["SiteHeadersPolicy"][
        "ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    hsts = config["StrictTransportSecurity"]
    parameters = {name: str(p.get("Default", "")) for name, p in load()["Parameters"].items()}
    csp = substitute(config["ContentSecurityPolicy"]["ContentSecurityPolicy"],
                     {**parameters, "AWS::Region": region})
    return {
        "Content-Security-Policy": " ".join(csp.split()),
        "Strict-Transport-Security": f"max-age={hsts['AccessControlMaxAgeSec']}"
        + ("; includeSubDomains" if hsts.get("IncludeSubdomains") else "")
        + ("; preload" if hsts.get("Preload") else ""),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": config["FrameOptions"]["FrameOption"],
        "Referrer-Policy": config["ReferrerPolicy"]["ReferrerPolicy"],
    }
