"""A request's states have one set of words: the site's module (its filters and the advisor's
dialogs, before any request is at hand) says exactly what the API says (`status_label`)."""

import re
from pathlib import Path

from domain.requests import STATUS_LABELS

MODULE = Path(__file__).parents[2] / "site/docs/assets/js/lib/request-statuses.js"


def test_the_site_names_each_state_as_the_api_does():
    site = dict(re.findall(r'\{ id: "(\w+)",[^}]*?label: "([^"]+)"', MODULE.read_text()))
    assert site == STATUS_LABELS
