"""`python -m infra.local.process`: process the reimbursement requests waiting in the local
stack (what an advisor's acceptance will do once the advisor screen exists)."""

from __future__ import annotations

import json
import os
import sys

from infra.local.server import STATE_FILE


def main() -> int:
    if not STATE_FILE.is_file():
        print("No local stack is running: start it with `make run`.", file=sys.stderr)
        return 2
    state = json.loads(STATE_FILE.read_text())
    os.environ.update(state["env"])
    from claims.logic.requests import process_pending

    done = process_pending()
    print(f"{len(done)} request(s) processed" + (": " + ", ".join(done) if done else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
