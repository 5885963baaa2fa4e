"""The places of « Mes services »: real French towns (from packages that ship them), a
deterministic generator of agencies and partner health professionals around them, and the
loader that writes them into the places table (the local stack's seed, or AWS)."""

import sys
from pathlib import Path

# The Lambda code (the services function's places and geometry) is imported as Lambda does.
_FUNCTIONS = str(Path(__file__).resolve().parents[2] / "functions")
if _FUNCTIONS not in sys.path:
    sys.path.insert(0, _FUNCTIONS)
