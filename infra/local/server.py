"""The local stack: moto on loopback, the built site, and the API on one origin.

/            the built site (build/site), with the same security headers as CloudFront
/config.json the runtime configuration the pages read (pool client id, endpoints)
/api/...     each route of the template's HttpApi events, after the authorizer's JWT checks,
             handed in-process to its handler as an API Gateway v2 event
/cognito     the Cognito API for the browser (proxied to moto)
/s3/...      the documents bucket for presigned URLs (proxied to moto)
"""

from __future__ import annotations

import importlib
import json
import logging
import mimetypes
import os
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.local import bootstrap, template
from infra.local.authorizer import AuthorizerError, JwtAuthorizer
from infra.local.events import http_api_event, match_route

SITE_DIR = template.ROOT / "build" / "site"
STATE_FILE = Path(os.environ.get("LOCAL_STACK_STATE")
                  or template.ROOT / "build" / "local-stack.json")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("font/woff2", ".woff2")
MAX_BODY = 1024 * 1024
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = ""
    invoked_function_arn: str = ""
    log_group_name: str = "local"
    log_stream_name: str = "local"
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


class Stack:
    """Everything `make run` starts, also used by the tests (in a thread, on free ports)."""

    def __init__(self, *, port: int = 8000, host: str = "127.0.0.1", site_dir: Path = SITE_DIR,
                 seed: bool = True) -> None:
        self.host, self.port, self.site_dir, self.seed = host, port, site_dir, seed
        self.moto_port = free_port()
        self.moto_url = f"http://127.0.0.1:{self.moto_port}"
        self.base_url = f"http://{host}:{port}"
        self._lock = threading.Lock()  # one request at a time per process, as in one Lambda
        self.handlers: dict[str, Any] = {}
        self.demo: dict[str, Any] = {}

    def _environment(self) -> None:
        os.environ.update({
            "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": bootstrap.REGION, "AWS_REGION": bootstrap.REGION,
            "AWS_ENDPOINT_URL": self.moto_url,
            "S3_PUBLIC_ENDPOINT": f"{self.base_url}/s3",
            "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_DEV": "false",
        })
        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

    def start_aws(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        self._environment()
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port,
                                        verbose=False)
        self._moto.start()
        self.resources = bootstrap.create_all(self.moto_url)
        pool = self.resources.user_pool_id
        self.issuer = f"https://cognito-idp.{bootstrap.REGION}.amazonaws.com/{pool}"
        self.authorizer = JwtAuthorizer(
            issuer=self.issuer, audience=[self.resources.client_id],
            jwks_url=f"{self.moto_url}/{pool}/.well-known/jwks.json")
        for function in template.resources("AWS::Serverless::Function"):
            env = self.resources.env(function)
            env.pop("POWERTOOLS_LOG_LEVEL", None)
            os.environ.update(env)
        if self.seed:
            from infra.local.seed import seed_demo

            self.demo = seed_demo(self.resources, self.moto_url)
        self.routes = template.routes()
        for route in self.routes:
            module, attr = route.handler.rsplit(".", 1)
            self.handlers[route.handler] = getattr(importlib.import_module(module), attr)

    def config(self) -> dict[str, str]:
        return {"apiBase": "/api", "cognitoEndpoint": "/cognito",
                "clientId": self.resources.client_id, "region": bootstrap.REGION}

    def start(self) -> Stack:
        self.start_aws()
        stack = self

        class Handler(_RequestHandler):
            pass

        Handler.stack = stack
        self.httpd = ThreadingHTTPServer((self.host, self.port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        os.environ["S3_PUBLIC_ENDPOINT"] = f"{self.base_url}/s3"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def write_state(self) -> None:
        """Where local commands (e.g. processing requests) find this stack."""
        keys = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION",
                "AWS_ENDPOINT_URL", "S3_PUBLIC_ENDPOINT", "TABLE_NAME", "IDEMPOTENCY_TABLE_NAME",
                "DOCUMENTS_BUCKET", "BRAND_NAME")
        STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
        STATE_FILE.write_text(json.dumps({
            "base_url": self.base_url,
            "env": {k: os.environ[k] for k in keys if k in os.environ}}, indent=2))

    def stop(self) -> None:
        self.httpd.shutdown()
        self._moto.stop()

    # --------------------------------------------------------------------------- API
    def invoke(self, method: str, path: str, query: str, headers: dict[str, str],
               body: bytes) -> tuple[int, dict[str, str], bytes]:
        route, params = match_route(self.routes, method, path)
        if route is None:
            return _json_response(404, {"message": "Not Found"})
        try:
            claims = self.authorizer.verify(headers.get("authorization"))
        except AuthorizerError:
            return _json_response(401, {"message": "Unauthorized"})
        event = http_api_event(route, path=path, query=query, headers=headers, body=body,
                               claims=claims, params=params, domain=self.host)
        context = LambdaContext(function_name=route.function, aws_request_id=event[
            "requestContext"]["requestId"])
        with self._lock:
            result = self.handlers[route.handler](event, context)
        out_headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
        out_headers["Cache-Control"] = "no-store"
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


class _RequestHandler(BaseHTTPRequestHandler):
    stack: Stack
    server_version = "EspaceAdherentLocal"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if os.environ.get("LOCAL_ACCESS_LOG"):
            super().log_message(format, *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers: dict[str, str], body: bytes,
              head_only: bool = False) -> None:
        self.send_response(status)
        skip = {"content-length", "transfer-encoding", "connection", "server", "date"}
        for key, value in headers.items():
            if key.lower() not in skip:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def _dispatch(self, method: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        if path.startswith("/api/"):
            body = self._body()
            if len(body) > MAX_BODY:
                return self._send(*_json_response(413, {"message": "Payload Too Large"}))
            headers = {k.lower(): v for k, v in self.headers.items()}
            return self._send(*self.stack.invoke(method, path[4:], parsed.query, headers,
                                                 body))
        if path == "/cognito" or path == "/cognito/":
            if method != "POST":
                return self._send(*_json_response(405, {"message": "Method Not Allowed"}))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("content-type", "x-amz-target")}
            # The browser's calls are unsigned; moto would then route them to its default
            # region, where the pool's tokens are unknown (GlobalSignOut would silently fail).
            headers["Authorization"] = (
                f"AWS4-HMAC-SHA256 Credential=local/20260101/{bootstrap.REGION}/cognito-idp/"
                "aws4_request, SignedHeaders=host, Signature=local")
            status, out, data = self.stack.proxy("POST", self.stack.moto_url + "/", headers,
                                                 self._body())
            # The pool client has PreventUserExistenceErrors: an unknown email answers exactly
            # like a wrong password, as Cognito does on AWS (moto does not emulate it).
            if status == 400 and b"UserNotFoundException" in data:
                data = json.dumps({"__type": "NotAuthorizedException",
                                   "message": "Incorrect username or password."}).encode()
            return self._send(status, out, data)
        if path.startswith("/s3/"):
            # Only what a presigned URL allows: a signed GET, or a POST form to a bucket.
            signed_get = method in ("GET", "HEAD") and "X-Amz-Signature=" in parsed.query
            form_post = method == "POST" and path.strip("/").count("/") == 1 and \
                (self.headers.get("Content-Type") or "").startswith("multipart/form-data")
            if not (signed_get or form_post):
                return self._send(*_json_response(403, {"message": "Forbidden"}))
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("content-type", "content-length")}
            body = self._body() if method in ("POST", "PUT") else None
            target = f"{self.stack.moto_url}/{path[4:]}"
            if parsed.query:
                target += f"?{parsed.query}"
            status, out, data = self.stack.proxy(method, target, headers, body)
            return self._send(status, out, data, head_only=method == "HEAD")
        if method not in ("GET", "HEAD"):
            return self._send(*_json_response(405, {"message": "Method Not Allowed"}))
        if path == "/config.json":
            status, headers, data = _json_response(200, self.stack.config())
            headers["Cache-Control"] = "no-store"
            return self._send(status, headers, data, head_only=method == "HEAD")
        return self._static(path, head_only=method == "HEAD")

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
        headers = {"Content-Type": ctype, **SECURITY_HEADERS,
                   "Cache-Control": "no-cache" if ctype.startswith("text/html") else
                   "public, max-age=300"}
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
