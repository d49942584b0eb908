"""Whose requests a rate limit counts: the connecting address, unless the deployment says how
many proxies stand in front (SIDENOTE_TRUSTED_PROXIES); then the address they forwarded. Both
the full path and the shortcut for repeated requests count the same client, against a real
Redis."""

from __future__ import annotations

import json

import pytest

from server.app import create_app
from tests.conftest import make_config

REPEATED = json.dumps({"text": "A short text, he said.", "features": ["quotes"]}).encode()


def statuses(config, bodies: list[bytes], forwarded_for: list[str]) -> list[int]:
    client = create_app(config).test_client()
    return [
        client.post(
            "/v1/annotate",
            data=body,
            content_type="application/json",
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the one proxy every request comes through
        ).status_code
        for body, address in zip(bodies, forwarded_for, strict=True)
    ]


def distinct_bodies(count: int) -> list[bytes]:
    return [
        json.dumps({"text": f"Text {n}.", "features": ["outlets"]}).encode() for n in range(count)
    ]


@pytest.mark.parametrize("repeated", [False, True], ids=["full path", "shortcut"])
def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(
    redis_url, key_prefix, repeated
):
    config = make_config(redis_url=redis_url, cache_prefix=key_prefix, rate_limit="3/minute")
    bodies = [REPEATED] * 4 if repeated else distinct_bodies(4)

    answered = statuses(config, bodies, [f"198.51.100.{n}" for n in range(4)])

    assert answered == [200, 200, 200, 429]


@pytest.mark.parametrize("repeated", [False, True], ids=["full path", "shortcut"])
def test_with_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    redis_url, key_prefix, repeated
):
    config = make_config(
        redis_url=redis_url, cache_prefix=key_prefix, rate_limit="3/minute", trusted_proxies=1
    )
    clients = ["198.51.100.1"] * 4 + ["198.51.100.2"] * 2
    bodies = [REPEATED] * 6 if repeated else distinct_bodies(6)

    answered = statuses(config, bodies, clients)

    # The first client's fourth request breaches its limit; the second client starts afresh.
    assert answered == [200, 200, 200, 429, 200, 200]


def test_a_trusted_proxy_counts_only_the_address_it_appended(redis_url, key_prefix):
    """A client's own X-Forwarded-For entries come before the proxy's and are not believed."""
    config = make_config(
        redis_url=redis_url, cache_prefix=key_prefix, rate_limit="3/minute", trusted_proxies=1
    )
    forged = [f"203.0.113.{n}, 198.51.100.7" for n in range(4)]

    assert statuses(config, distinct_bodies(4), forged) == [200, 200, 200, 429]
