"""Every GET route, every parameter the app reads, one odd value at a time: a 4xx with a message, never a 500."""

import logging

import pytest

from app import create_app
from web.query.layer_state import LAYER_PARAMS
from web.query.page_state import PAGE_PARAMS
from web.query.quiz_params import QUIZ_PARAMS

ODD = (
    "²",  # a digit to str.isdigit(), but not to int()
    "9" * 5000,  # more digits than int() reads from text
    "\x00",
)
FORM_FIELDS = ("k-0-0", "lw-1-0-0-0", "lb-1", "part", "img", "f", "map", "lread", "n", "format", "tool", "step")
NAMES = sorted({*PAGE_PARAMS, *LAYER_PARAMS, *QUIZ_PARAMS, *FORM_FIELDS})

APP = create_app({"TESTING": True})
ROUTES = sorted(
    rule.rule
    for rule in APP.url_map.iter_rules()
    if "GET" in rule.methods and "<" not in rule.rule and not rule.rule.startswith("/static")
)


@pytest.mark.parametrize("route", ROUTES)
def test_no_odd_value_of_any_parameter_is_a_server_error(route, caplog):
    client = APP.test_client()
    failures = []
    with caplog.at_level(logging.CRITICAL):
        for n, (name, value) in enumerate((name, value) for name in NAMES for value in ODD):
            visitor = {"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250}"}  # each its own, so no rate limit answers first
            status = client.get(route, query_string={name: value}, environ_base=visitor).status_code
            if status >= 500:
                failures.append((name, value[:8], status))
    assert failures == []
