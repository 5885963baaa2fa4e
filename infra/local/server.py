"""The local stack: moto on loopback, the built site, and the API on one origin.

/            the built site (build/site), with the same security headers as CloudFront
/config.json the runtime configuration the pages read (pool client id, endpoints)
/api/...     each route of the template's HttpApi events, after the authorizer's JWT checks,
             handed as an API Gateway v2 event to its function: a pool of worker processes
             per function, so invocations run concurrently as on Lambda
/cognito     the Cognito API for the browser: only the actions a browser may call
/s3/...      the documents bucket, for presigned URLs only: signatures, expiry and POST
             policies are checked here as S3 checks them (moto checks none of it)
/sandbox/paiement/...  the sandbox card payment provider's hosted checkout (infra/local/sandbox.py)
/local/echanges/       the exchanges with the management system's simulator (infra/local/gestion.py)

What AWS enforces, this stack enforces: a token not signed by the pool's own key (moto ships
one development key for every pool, so the stack gives its pool a fresh key at each start),
an action that needs IAM credentials, an expired or tampered link, a body over the limit (413,
never read), a wrong method (405), a malformed request (400).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hmac
import json
import logging
import mimetypes
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.deploy_site import cache_control
from infra.local import bootstrap, cognito, gestion, s3auth, sandbox, streams, template
from infra.local.authorizer import AuthorizerError, JwtAuthorizer
from infra.local.dynamodb import isolated_dynamodb
from infra.local.events import http_api_event, match_route
from infra.local.lambdas import FunctionPool, LambdaContext  # noqa: F401 - tests import it here
from infra.local.sigv4 import SignatureError, SigV4Verifier

try:  # brotli when the environment has it, gzip always
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

SITE_DIR = template.ROOT / "build" / "site"
STATE_FILE = Path(os.environ.get("LOCAL_STACK_STATE")
                  or template.ROOT / "build" / "local-stack.json")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("font/woff2", ".woff2")
MAX_API_BODY = 6 * 1024 * 1024  # Lambda's synchronous payload limit
MAX_COGNITO_BODY = 64 * 1024
MAX_UPLOAD_BODY = 11 * 1024 * 1024  # the largest upload a policy allows, plus the form
ACCESS_KEY = SECRET_KEY = "local"  # noqa: S105 - moto's credentials, loopback only
# The local management system's credentials: it signs its calls to /system/... with them
# (SigV4), as a mutuelle's management system signs with its IAM user or role on AWS.
GESTION_ACCESS_KEY = "LOCALGESTION"
GESTION_SECRET = "local-gestion-secret-loopback-only"  # noqa: S105 - loopback only
# What a browser may call without IAM credentials (the rest needs them on AWS).
# What a browser may call, by pool: what each pool's web ACL allows on AWS (template.yaml),
# which is exactly what the site's scripts call (tests/integration/test_account_takeover.py
# derives it from them); every other call is blocked, a stolen access token's ChangePassword
# or UpdateUserAttributes too. A call naming no client and no session gets the members' list.
# The passkey actions pass only with the relay header the functions send (`relay-calls`).
_TARGET = "AWSCognitoIdentityProviderService."
RELAY_HEADER = "X-EA-Relay"


def _web_acl(pool: str) -> dict:
    for props in template.resources("AWS::WAFv2::WebACLAssociation").values():
        if props["ResourceArn"] == {"Fn::GetAtt": [pool, "Arn"]}:
            return template.resources("AWS::WAFv2::WebACL")[props["WebACLArn"]["Fn::GetAtt"][0]]
    return {"Rules": []}


def _targets(statement: dict) -> set[str]:
    return {s["ByteMatchStatement"]["SearchString"].removeprefix(_TARGET)
            for s in statement["OrStatement"]["Statements"]}


def cognito_actions(pool: str) -> frozenset[str]:
    """The Cognito actions the web ACL of `pool` (logical id) lets through from a browser."""
    return frozenset(action for rule in _web_acl(pool)["Rules"]
                     if rule["Action"] == {"Allow": {}} and "OrStatement" in rule["Statement"]
                     for action in _targets(rule["Statement"]))


def cognito_relay(pool: str) -> tuple[frozenset[str], str | None]:
    """The actions the web ACL of `pool` lets through only with the relay header, and the
    secret (logical id) the header must carry."""
    for rule in _web_acl(pool)["Rules"]:
        both = rule["Statement"].get("AndStatement", {}).get("Statements", [])
        if rule["Action"] != {"Allow": {}} or len(both) != 2:
            continue
        header = both[1]["ByteMatchStatement"]
        assert header["FieldToMatch"] == {"SingleHeader": {"Name": RELAY_HEADER.lower()}}
        reference = header["SearchString"]["Fn::Sub"]  # {{resolve:secretsmanager:${Secret}}}
        secret = reference.removeprefix("{{resolve:secretsmanager:${").removesuffix("}}}")
        return frozenset(_targets(both[0])), secret
    return frozenset(), None


COGNITO_BROWSER_ACTIONS = cognito_actions("UserPool")
PASSKEY_RP_ID = "localhost"
SECURITY_HEADERS = template.security_headers()  # as CloudFront sends them
DEFAULT_HEADERS = template.default_headers()


def quick_dispatch() -> None:
    """moto's server lists its own package directory (a stat per service) for every request
    it routes: the list is read once."""
    from moto import backends

    if getattr(backends, "_ea_listed", False):
        return
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    backends._ea_listed = True


class TokenBucket:
    """API Gateway's throttling of one route: `burst` requests at once, refilled at `rate` a
    second; past that, 429 without calling the function."""

    def __init__(self, burst: int, rate: float) -> None:
        import time

        self.burst, self.rate, self.tokens = burst, rate, float(burst)
        self.clock = time.monotonic
        self.last = self.clock()
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens < 1:
                return False
            self.tokens -= 1
            return True


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that goes away mid-answer (a page left, a download cancelled) is not an
        # error of ours: no traceback in the log for it.
        if isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            return
        super().handle_error(request, client_address)


class Stack:
    """Everything `make run` starts, also used by the tests (in a thread, on free ports)."""

    def __init__(self, *, port: int = 8000, host: str = "127.0.0.1", site_dir: Path = SITE_DIR,
                 seed: bool = True, workers: int = 3) -> None:
        self.host, self.port, self.site_dir, self.seed = host, port, site_dir, seed
        self.workers = workers
        self.moto_port = 0  # chosen by the system when moto binds (no port picked, then lost)
        self.moto_url = ""
        self.base_url = f"http://{host}:{port}"
        self.pools: dict[str, FunctionPool] = {}
        self.demo: dict[str, Any] = {}
        self.throttles = {key: TokenBucket(burst, rate)
                          for key, (burst, rate) in template.route_throttles().items()}

    def _environment(self) -> dict[str, str]:
        env = {
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": bootstrap.REGION, "AWS_REGION": bootstrap.REGION,
            "AWS_ENDPOINT_URL": self.moto_url,
            "S3_PUBLIC_ENDPOINT": f"{self.base_url}/s3",
            "COGNITO_ENDPOINT_URL": f"{self.base_url}/cognito",
            "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_DEV": "false",
            "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        }
        os.environ.update(env)
        return env

    def _site(self) -> dict[str, str]:
        """The one site address every link in an email, a QR code or a payment return uses:
        this stack's own, not the template's default."""
        return {"SITE_URL": self.base_url}

    def start_aws(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        quick_dispatch()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._moto.start()
        # moto finds each request's service under one lock that guards only the creation of
        # a service's app (twice made, one kept: harmless): every call of every function
        # queued there.
        self._moto._server.app.lock = contextlib.nullcontext()
        self.moto_port = self._moto.get_host_and_port()[1]
        self.moto_url = f"http://127.0.0.1:{self.moto_port}"
        self._environment()
        cognito.faithful()
        # Passkeys' relying party: the stack's host as a browser may name one (Chromium takes
        # no IP address as RP ID): passkeys work on http://localhost:<port> (docs/identity.md).
        self.resources = bootstrap.create_all(self.moto_url, passkey_rp_id=PASSKEY_RP_ID)
        names = self.resources.names
        self.signing_key = cognito.own_signing_key(
            *(names[logical] for logical in template.resources("AWS::Cognito::UserPool")))
        isolated_dynamodb()
        # Each route's tokens are checked by its own authorizer (members', advisors').
        self.authorizers = {
            name: JwtAuthorizer(
                issuer=f"https://cognito-idp.{bootstrap.REGION}.amazonaws.com/"
                       f"{names[spec['pool']]}",
                audience=[names[spec["client"]]],
                jwks_url=f"{self.moto_url}/{names[spec['pool']]}/.well-known/jwks.json")
            for name, spec in template.authorizers().items()}
        # Routes with `Authorizer: AWS_IAM`: the management system's signed calls.
        self.signatures = SigV4Verifier({GESTION_ACCESS_KEY: GESTION_SECRET}, bootstrap.REGION)
        # Which Cognito calls a browser may make, by app client (as each pool's web ACL).
        self.cognito_actions = {
            names[client]: cognito_actions(pool)
            for client, pool in template.client_pools().items()}
        # The functions' passkey calls: the actions, and the secret their header must carry
        # (read from the stack's Secrets Manager, as the web ACL resolves it at deployment).
        self.cognito_relay: dict[str, frozenset[str]] = {}
        relay_secrets = set()
        for client, pool in template.client_pools().items():
            actions, secret = cognito_relay(pool)
            self.cognito_relay[names[client]] = actions
            relay_secrets.add(secret)
        self.relay_actions = frozenset().union(*self.cognito_relay.values())
        self.relay_secrets = {self._secret(names[s]) for s in relay_secrets if s}
        # The seed and local commands run in this process with the table's names.
        for function in template.resources("AWS::Serverless::Function"):
            env = self.resources.env(function)
            env.pop("POWERTOOLS_LOG_LEVEL", None)
            env.pop("POWERTOOLS_SERVICE_NAME", None)
            os.environ.update(env)
        os.environ.update(self._site())
        if self.seed:
            from infra.local.seed import seed_demo

            self.demo = seed_demo(self.resources, self.moto_url)
        self.routes = template.routes()
        self.sandbox = sandbox.Sandbox(self._payment_key)

    def _secret(self, arn: str) -> str:
        import boto3

        client = boto3.client("secretsmanager", endpoint_url=self.moto_url,
                              region_name=bootstrap.REGION)
        return client.get_secret_value(SecretId=arn)["SecretString"]

    def _payment_key(self) -> str:
        """The provider key the sandbox signs with: the one the template's secret holds."""
        if not getattr(self, "_sandbox_key", None):
            import boto3

            client = boto3.client("secretsmanager", endpoint_url=self.moto_url,
                                  region_name=bootstrap.REGION)
            secret = client.get_secret_value(SecretId=self.resources.names["PaymentSecret"])
            self._sandbox_key = json.loads(secret["SecretString"])["signing_key"]
        return self._sandbox_key

    @property
    def passkey_url(self) -> str:
        """The site's address where a browser takes passkeys: the same server, named by the
        relying party id (`localhost`), as no browser accepts an IP address as one."""
        return f"http://{PASSKEY_RP_ID}:{self.port}"

    def config(self) -> dict[str, str]:
        return {"apiBase": "/api", "cognitoEndpoint": "/cognito",
                "clientId": self.resources.client_id,
                "advisorsClientId": self.resources.advisors_client_id,
                "region": bootstrap.REGION}

    def start(self) -> Stack:
        stack = self

        class Handler(_RequestHandler):
            pass

        Handler.stack = stack
        # Bound first (port 0: any free one), so every address handed out knows the port;
        # requests wait in the backlog until it serves.
        self.httpd = _Server((self.host, self.port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self.start_aws()
        common = self._environment()
        default_timeout = template.load().get("Globals", {}).get("Function", {}).get(
            "Timeout", 10)
        for function, props in template.resources("AWS::Serverless::Function").items():
            env = {**common, **self.resources.env(function)}
            env["POWERTOOLS_LOG_LEVEL"] = common["POWERTOOLS_LOG_LEVEL"]
            env.update(self._site())
            seconds = float(props.get("Timeout", default_timeout))
            if "PAYMENT_PROVIDER" in env:  # the sandbox provider, on this stack's address
                env.update(sandbox.function_environment(self.base_url))
            # A queue's worker takes one batch at a time here: one environment is enough.
            api = any(e.get("Type") == "HttpApi" for e in (props.get("Events") or {}).values())
            self.pools[function] = FunctionPool(
                function, props["Handler"], env, size=self.workers if api else 1,
                timeout=max(30.0, seconds + 5), function_timeout=seconds)
        with ThreadPoolExecutor(max_workers=len(self.pools)) as warmers:
            list(warmers.map(lambda pool: pool.warm(), self.pools.values()))
        # Queue event sources (the export worker): polled as Lambda polls them.
        import boto3

        from infra.local.queues import QueuePollers
        from infra.local.schedules import Schedules

        self.pollers = QueuePollers(
            boto3.client("sqs", endpoint_url=self.moto_url, region_name=bootstrap.REGION),
            self.resources.names, bootstrap.REGION,
            {name: pool.invoke for name, pool in self.pools.items()}).start()
        self.schedules = Schedules({n: p.invoke for n, p in self.pools.items()}).start()
        # DynamoDB stream event sources (the outbox relay): read as Lambda reads them.
        self.streams = streams.StreamPollers(self.moto_url, self.resources.names,
                                             bootstrap.REGION, {n: p.invoke for n, p in
                                                                self.pools.items()}).start()
        self.gestion = gestion.start(self)  # the management system's simulator
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def write_state(self, test_hooks: bool = False) -> None:
        """Where local commands and tests find this stack."""
        keys = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION",
                "AWS_ENDPOINT_URL", "S3_PUBLIC_ENDPOINT", "TABLE_NAME", "IDEMPOTENCY_TABLE_NAME",
                "DOCUMENTS_BUCKET", "BRAND_NAME")
        STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
        state = {"base_url": self.base_url, "moto_url": self.moto_url,
                 # Where a browser uses passkeys (the relying party is `localhost`).
                 "passkey_url": self.passkey_url,
                 "resources": {"names": self.resources.names,
                               "user_pool_id": self.resources.user_pool_id,
                               "client_id": self.resources.client_id,
                               "advisors_pool_id": self.resources.advisors_pool_id,
                               "advisors_client_id": self.resources.advisors_client_id},
                 "demo": self.demo,
                 "gestion_credentials": {"access_key_id": GESTION_ACCESS_KEY,
                                         "secret_access_key": GESTION_SECRET,
                                         "region": bootstrap.REGION},
                 "env": {k: os.environ[k] for k in keys if k in os.environ}}
        if test_hooks:
            state["signing_key_pem"] = self.signing_key.as_pem(private=True).decode()
        STATE_FILE.write_text(json.dumps(state, indent=2))

    def stop(self) -> None:
        self.httpd.shutdown()
        if getattr(self, "streams", None):
            self.streams.stop()
        if getattr(self, "pollers", None):
            self.pollers.stop()
        if getattr(self, "schedules", None):
            self.schedules.stop()
        if getattr(self, "gestion", None):
            self.gestion.stop()
        for pool in self.pools.values():
            pool.close()
        self._moto.stop()

    # --------------------------------------------------------------------------- API
    def invoke(self, method: str, path: str, query: str, headers: dict[str, str],
               body: bytes, viewer: tuple[str, int] = ("127.0.0.1", 0),
               ) -> tuple[int, dict[str, str], bytes]:
        route, params = match_route(self.routes, method, path)
        if route is None:
            # The resource is the most specific template matching the path (routes are sorted).
            resource = next((r.path for r in self.routes if r.pattern.match(path)), None)
            allowed = sorted({r.method for r in self.routes if r.path == resource})
            if allowed:
                status, headers, data = _json_response(405, {"message": "Method Not Allowed"})
                return status, {**headers, "Allow": ", ".join(allowed)}, data
            return _json_response(404, {"message": "Not Found"})
        bucket = self.throttles.get(route.route_key)
        if bucket and not bucket.take():
            return _json_response(429, {"message": "Too Many Requests"})
        claims = iam = None
        if route.authorizer == "AWS_IAM":
            # As API Gateway: a SigV4 signature of known credentials, or 403 (a bearer token,
            # a member's or an advisor's, is no signature).
            url = f"http://{headers.get('host', self.host)}/api{path}" + (
                f"?{query}" if query else "")
            try:
                iam = self.signatures.verify(method, url, headers, body)
            except SignatureError as refused:
                logging.getLogger("infra.local.server").warning("IAM route refused: %s", refused)
                return _json_response(403, {"message": "Forbidden"})
        elif not route.public:
            try:
                claims = self.authorizers[route.authorizer].verify(headers.get("authorization"))
            except AuthorizerError:
                # No cache keeps it (DEFAULT_HEADERS, as CloudFront's policy adds them).
                return _json_response(401, {"message": "Unauthorized"})
        # As CloudFront does for /api/*: a viewer cannot send CloudFront's headers, the
        # distribution adds the viewer's address (no country: nothing locates a loopback).
        headers = {k: v for k, v in headers.items() if not k.lower().startswith("cloudfront-")}
        headers["cloudfront-viewer-address"] = f"{viewer[0]}:{viewer[1]}"
        event = http_api_event(route, path=path, query=query, headers=headers, body=body,
                               claims=claims, params=params, domain=self.host,
                               source_ip=viewer[0], iam=iam)
        result = self.pools[route.function].invoke(event)
        out_headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
        payload = result.get("body") or ""
        if result.get("isBase64Encoded"):
            import base64

            data = base64.b64decode(payload)
        else:
            data = payload.encode()
        return int(result.get("statusCode", 200)), out_headers, data

    # ------------------------------------------------------------------------ proxies
    def proxy(self, method: str, url: str, headers: dict[str, str],
              body: bytes | None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()
        except (urllib.error.URLError, TimeoutError):
            return _json_response(503, {"__type": "ServiceUnavailable"})


def _json_response(status: int, body: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _s3_error(code: str, status: int) -> tuple[int, dict[str, str], bytes]:
    body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f"<Message>{code}</Message></Error>").encode()
    return status, {"Content-Type": "application/xml"}, body


# Compression of the site's text files (what CloudFront's `Compress: true` does).
COMPRESSIBLE = ("text/", "application/javascript", "application/json",
                "application/manifest+json", "application/xml", "image/svg+xml")
MIN_COMPRESSED = 1000  # bytes: CloudFront leaves smaller files as they are
ENCODINGS = ("br", "gzip") if brotli else ("gzip",)  # ours, by preference


def _compressible(ctype: str) -> bool:
    return ctype.startswith(COMPRESSIBLE)


def _encoding(accept: str) -> str | None:
    """The encoding to answer with, from the request's Accept-Encoding (q-values, `*`)."""
    weights: dict[str, float] = {}
    for part in accept.lower().split(","):
        coding, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if coding.strip():
            weights[coding.strip()] = q
    best = None
    for coding in ENCODINGS:
        q = weights.get(coding, weights.get("*", 0.0))
        if q > 0 and (best is None or q > best[1]):
            best = (coding, q)
    return best[0] if best else None


@functools.lru_cache(maxsize=512)
def _compressed(file: str, mtime_ns: int, size: int, encoding: str) -> bytes:
    """The file's compressed bytes, kept while it is unchanged (mtime and size in the key)."""
    data = Path(file).read_bytes()
    if encoding == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


class _TooLarge(Exception):
    pass


class _RequestHandler(BaseHTTPRequestHandler):
    stack: Stack
    server_version = "EspaceAdherentLocal"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if os.environ.get("LOCAL_ACCESS_LOG"):
            super().log_message(format, *args)

    def _body(self, limit: int) -> bytes:
        """The request body, refused (never read) past `limit` bytes."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise _TooLarge("chunked bodies are not accepted")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            self.close_connection = True
            raise _TooLarge(str(length))
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers: dict[str, str], body: bytes,
              head_only: bool = False) -> None:
        self.send_response(status)
        skip = {"content-length", "transfer-encoding", "connection", "server", "date"}
        for key, value in headers.items():
            if key.lower() not in skip:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def _dispatch(self, method: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        try:
            if path.startswith("/api/"):
                return self._api(method, path, parsed.query)
            if path in ("/cognito", "/cognito/"):
                return self._cognito(method)
            if path.startswith("/s3/"):
                return self._s3(method, path, parsed.query)
            if path.startswith(sandbox.PREFIX + "/"):
                body = self._body(sandbox.MAX_FORM) if method == "POST" else b""
                status, headers, data = self.stack.sandbox.handle(method, path, parsed.query,
                                                                  body)
                headers = {**headers, **SECURITY_HEADERS}
                headers.setdefault("Cache-Control", "no-store")
                return self._send(status, headers, data, head_only=method == "HEAD")
        except _TooLarge:
            status, headers, data = _json_response(413, {"message": "Request Entity Too Large"})
            return self._send(status, {**headers, **SECURITY_HEADERS}, data)
        if method not in ("GET", "HEAD"):
            self.close_connection = bool(self.headers.get("Content-Length"))
            return self._send(*_json_response(405, {"message": "Method Not Allowed"}))
        if path in ("/local/courriels", "/local/courriels/", "/local/courriels.json"):
            from infra.local import mailbox

            if path.endswith(".json"):
                status, headers, data = _json_response(200, {"items": mailbox.sent()})
            else:
                status, headers, data = 200, {"Content-Type": "text/html; charset=utf-8"}, \
                    mailbox.page(template.parameter_default("BrandName")).encode()
            headers.update(SECURITY_HEADERS, **{"Cache-Control": "no-store"})
            return self._send(status, headers, data, head_only=method == "HEAD")
        if path in ("/local/echanges", "/local/echanges/", "/local/echanges.json"):
            exchanges = self.stack.gestion.exchanges() if getattr(
                self.stack, "gestion", None) else []
            if path.endswith(".json"):
                status, headers, data = _json_response(200, {"items": exchanges})
            else:
                status, headers, data = 200, {"Content-Type": "text/html; charset=utf-8"}, \
                    gestion.page(template.parameter_default("BrandName"), exchanges).encode()
            headers.update(SECURITY_HEADERS, **{"Cache-Control": "no-store"})
            return self._send(status, headers, data, head_only=method == "HEAD")
        if path == "/config.json":
            status, headers, data = _json_response(200, self.stack.config())
            headers.update(SECURITY_HEADERS, **{"Cache-Control": "no-store"})
            return self._send(status, headers, data, head_only=method == "HEAD")
        return self._static(path, head_only=method == "HEAD")

    def _api(self, method: str, path: str, query: str) -> None:
        body = self._body(MAX_API_BODY)
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, out, data = self.stack.invoke(method, path[4:], query, headers, body,
                                              viewer=self.client_address[:2])
        present = {k.lower() for k in out}
        defaults = {k: v for k, v in DEFAULT_HEADERS.items() if k.lower() not in present}
        # CloudFront adds them to /api/*: the security headers always, the others if absent.
        self._send(status, {**defaults, **out, **SECURITY_HEADERS}, data)

    def _cognito(self, method: str) -> None:
        if method != "POST":
            return self._send(*_json_response(405, {"message": "Method Not Allowed"}))
        body = self._body(MAX_COGNITO_BODY)
        target = self.headers.get("X-Amz-Target") or ""
        service, _, action = target.partition(".")
        if service != "AWSCognitoIdentityProviderService" or not action:
            return self._send(*_json_response(400, {"__type": "UnknownOperationException"}))
        try:
            request = json.loads(body or b"null")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            return self._send(*_json_response(400, {"__type": "SerializationException"}))
        client = request.get("ClientId")
        if client is None and isinstance(request.get("Session"), str):
            client = cognito.client_of_session(request["Session"])  # the app's MFA_SETUP
        allowed = self.stack.cognito_actions.get(client, COGNITO_BROWSER_ACTIONS)
        relay = (self.headers.get(RELAY_HEADER) or "").encode()
        if relay and any(hmac.compare_digest(relay, secret.encode())
                         for secret in self.stack.relay_secrets):
            allowed = allowed | self.stack.cognito_relay.get(client, self.stack.relay_actions)
        if action not in allowed:
            return self._send(*_json_response(403, {
                "__type": "ForbiddenException",
                "message": "Request not allowed due to WAF block."}))
        if client is not None and client not in self.stack.cognito_actions:
            return self._send(*_json_response(400, {
                "__type": "ResourceNotFoundException", "message": "User pool client does "
                "not exist."}))
        headers = {"Content-Type": self.headers.get("Content-Type") or
                   "application/x-amz-json-1.1", "X-Amz-Target": target,
                   # Unsigned browser calls would reach moto's default region, where the
                   # pool's tokens are unknown (GlobalSignOut would silently do nothing).
                   "Authorization": (
                       f"AWS4-HMAC-SHA256 Credential=local/20260101/{bootstrap.REGION}/"
                       "cognito-idp/aws4_request, SignedHeaders=host, Signature=local")}
        status, out, data = self.stack.proxy("POST", self.stack.moto_url + "/", headers, body)
        # The pool client has PreventUserExistenceErrors: an unknown email answers exactly
        # like a wrong password, as Cognito does on AWS (moto does not emulate it).
        if status == 400 and b"UserNotFoundException" in data:
            data = json.dumps({"__type": "NotAuthorizedException",
                               "message": "Incorrect username or password."}).encode()
        return self._send(status, out, data)

    def _s3(self, method: str, path: str, query: str) -> None:
        """Only what a presigned URL allows: a signed GET of an object, or a signed form POST
        to the bucket, each checked as S3 checks it."""
        bucket = self.stack.resources.names["DocumentsBucket"]
        parts = path[len("/s3/"):].split("/", 1)
        if parts[0] != bucket:
            return self._send(*_s3_error("AccessDenied", 403))
        host = self.headers.get("Host") or ""
        if method in ("GET", "HEAD") and len(parts) == 2 and parts[1]:
            try:
                s3auth.verify_presigned_get(method=method, path=path, query=query, host=host,
                                            access_key=ACCESS_KEY, secret=SECRET_KEY,
                                            region=bootstrap.REGION)
            except s3auth.Refused as refused:
                return self._send(*_s3_error(refused.code, refused.status))
            target = f"{self.stack.moto_url}/{path[4:]}?{query}"
            status, out, data = self.stack.proxy(method, target, {}, None)
            return self._send(status, out, data, head_only=method == "HEAD")
        if method == "POST" and (len(parts) == 1 or parts[1] == ""):
            content_type = self.headers.get("Content-Type") or ""
            if not content_type.startswith("multipart/form-data"):
                return self._send(*_s3_error("PreconditionFailed", 412))
            body = self._body(MAX_UPLOAD_BODY)
            try:
                form = s3auth.parse_form(content_type, body)
                s3auth.verify_post_policy(bucket=bucket, form=form, access_key=ACCESS_KEY,
                                          secret=SECRET_KEY, region=bootstrap.REGION)
            except s3auth.Refused as refused:
                return self._send(*_s3_error(refused.code, refused.status))
            headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
            status, out, data = self.stack.proxy("POST", f"{self.stack.moto_url}/{bucket}",
                                                 headers, body)
            return self._send(status, out, data)
        if method not in ("GET", "HEAD", "POST"):
            return self._send(*_s3_error("MethodNotAllowed", 405))
        return self._send(*_s3_error("AccessDenied", 403))

    def _static(self, path: str, head_only: bool) -> None:
        root = self.stack.site_dir.resolve()
        target = (root / urllib.parse.unquote(path).lstrip("/")).resolve()
        if not target.is_relative_to(root):
            target = root / "404.html"
        if target.is_dir():
            if not path.endswith("/"):
                return self._send(301, {"Location": path + "/"}, b"")
            target = target / "index.html"
        status = 200
        if not target.is_file():
            status, target = 404, root / "404.html"
        data = target.read_bytes() if target.is_file() else b"Not found"
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript",):
            ctype += "; charset=utf-8"
        name = target.relative_to(root).as_posix() if target.is_relative_to(root) else ""
        headers = {"Content-Type": ctype, **SECURITY_HEADERS,
                   "Cache-Control": cache_control(name, ctype)}
        if _compressible(ctype):
            # As CloudFront does: text answers compressed for the browsers that ask for it.
            headers["Vary"] = "Accept-Encoding"
            encoding = _encoding(self.headers.get("Accept-Encoding") or "")
            if encoding and len(data) >= MIN_COMPRESSED:
                stat = target.stat()
                data = _compressed(str(target), stat.st_mtime_ns, stat.st_size, encoding)
                headers["Content-Encoding"] = encoding
        self._send(status, headers, data, head_only)

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch("PATCH")

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._dispatch("OPTIONS")

    def __getattr__(self, name: str):
        # Any other method (TRACE, QUERY...): answered like the others (405 where the path
        # exists), not with the standard library's 501.
        if name.startswith("do_") and name[3:].isalpha() and name[3:].isupper():
            return lambda: self._dispatch(name[3:])
        raise AttributeError(name)
