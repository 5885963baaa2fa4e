"""`python -m infra.local [--port N]`: start the whole product locally (what `make run` does)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

from infra.local.server import SITE_DIR, STATE_FILE, Stack


def main() -> int:
    parser = argparse.ArgumentParser(description="Espace Adhérent, local stack")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--site-dir", type=Path, default=SITE_DIR)
    parser.add_argument("--test-hooks", action="store_true",
                        help="write the pool's signing key to the state file (tests only)")
    args = parser.parse_args()
    if not (args.site_dir / "index.html").is_file():
        print("The site is not built: run `make run` (or `make site`) first.", file=sys.stderr)
        return 2
    stack = Stack(port=args.port, host=args.host, site_dir=args.site_dir).start()
    stack.write_state(test_hooks=args.test_hooks)
    from infra.local.seed import DEMO_LOGINS
    from infra.local.seed_accounts import DEMO_WITHOUT_ACCOUNT

    print(f"\nEspace Adhérent is running at {stack.base_url}/ (passkeys: {stack.passkey_url}/)\n")
    print("Demo logins:")
    for who, email, password in DEMO_LOGINS:
        print(f"  {who:<34} {email:<26} {password}")
    from infra.local.cognito import DEMO_TOTP_SECRET

    print(f"\nAdvisors also give their authenticator app's 6-digit code (TOTP). Demo secret, "
          f"local stack only:\n  {DEMO_TOTP_SECRET}   (add it to an authenticator app, or: "
          f".venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{DEMO_TOTP_SECRET}').now())\")")
    print("\nNo account yet (« Je n'ai pas encore de compte » on the sign-in page):")
    for number, birth, email, who in DEMO_WITHOUT_ACCOUNT:
        print(f"  {who:<34} n° {number}, born {birth}, {email}")
    print("\nCtrl-C stops everything.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    stack.stop()
    STATE_FILE.unlink(missing_ok=True)
    # Not the interpreter's exit, which joins every pool's manager and waits for each of the
    # 28 worker interpreters to end (3 s, 15 on a loaded machine): told to stop, they leave
    # on their own, or within two seconds of their parent's end (infra/local/lambdas.py).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
