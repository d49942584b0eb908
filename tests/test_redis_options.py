"""The Redis set-ups a scaled-out deployment uses, each against real redis-server processes:
a password, a key prefix per deployment sharing one Redis, TLS URLs, and a Redis Cluster.

Cache-level behaviour (values, expiry, a stopped Redis) is in ``test_cache.py``; these tests go
through the whole app, because the cache and the rate limiter must both honour each option.
"""

from __future__ import annotations

import random
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.connection import SSLConnection

from server.app import create_app
from server.cache import connect
from tests.conftest import RedisProcess, make_config
from tests.test_shortcut import by_shortcut, send, traced_client

ARTICLE = "“We will not back down,” Jane Doe told reporters on Tuesday, according to Reuters."


def annotate(client, text: str = ARTICLE):
    return client.post("/v1/annotate", json={"text": text, "features": ["outlets"]})


@pytest.fixture
def protected_redis() -> Iterator[RedisProcess]:
    server = RedisProcess(password="correct horse battery staple")
    server.start()
    yield server
    server.stop()


def test_a_deployment_keeps_its_cache_and_rate_limits_in_a_password_protected_redis(
    protected_redis, key_prefix
):
    client = create_app(make_config(redis_url=protected_redis.url, cache_prefix=key_prefix))
    client = client.test_client()

    first, second = annotate(client), annotate(client)

    assert (first.json["cached"], second.json["cached"]) == (False, True)
    assert client.get("/readyz").json == {"status": "ready", "cache": "redis"}
    store = redis.Redis.from_url(protected_redis.url)
    assert store.keys(key_prefix + "annotate:*")
    assert store.keys(f"*{key_prefix}limits*"), "rate-limit counters belong in Redis too"
    anonymous = redis.Redis(port=protected_redis.port)
    with pytest.raises(redis.AuthenticationError):
        anonymous.get("anything")


def test_a_wrong_password_serves_uncached_and_reports_degraded(protected_redis, key_prefix):
    url = protected_redis.url.replace("correct horse", "wrong horse")
    client = create_app(make_config(redis_url=url, cache_prefix=key_prefix)).test_client()

    responses = [annotate(client) for _ in range(2)]
    ready = client.get("/readyz").json

    assert [r.status_code for r in responses] == [200, 200]
    assert [r.json["cached"] for r in responses] == [False, False]
    assert ready["status"] == "degraded" and "redis" in ready["reason"]


def test_deployments_sharing_one_redis_never_see_each_others_results_or_keys(redis_process):
    blue = create_app(make_config(redis_url=redis_process.url, cache_prefix="blue:"))
    green = create_app(make_config(redis_url=redis_process.url, cache_prefix="green:"))
    blue_client, green_client = blue.test_client(), green.test_client()

    blue_results = [annotate(blue_client).json["cached"] for _ in range(2)]
    green_results = [annotate(green_client).json["cached"] for _ in range(2)]

    assert blue_results == [False, True]
    assert green_results == [False, True], "green must compute its own result, not reuse blue's"
    store = redis.Redis.from_url(redis_process.url)
    assert len(store.keys("blue:annotate:*")) == len(store.keys("green:annotate:*")) == 1


def test_every_key_a_deployment_writes_starts_with_its_prefix(redis_process):
    """So that a Redis ACL (``~blue:*``) can confine each deployment to its own keys."""
    app = create_app(make_config(redis_url=redis_process.url, cache_prefix="blue:"))

    annotate(app.test_client())

    keys = [key.decode() for key in redis.Redis.from_url(redis_process.url).keys("*")]
    assert len(keys) >= 2  # the result and at least one rate-limit counter
    assert all(key.startswith("blue:") for key in keys), keys


def test_a_deployment_confined_by_a_redis_acl_to_its_prefix_works_fully(redis_process):
    admin = redis.Redis.from_url(redis_process.url)
    admin.acl_setuser(
        "blue", enabled=True, passwords=["+blue-pw"], keys=["blue:*"], commands=["+@all"]
    )
    url = f"redis://blue:blue-pw@127.0.0.1:{redis_process.port}/0"
    client = create_app(make_config(redis_url=url, cache_prefix="blue:")).test_client()

    cached = [annotate(client).json["cached"] for _ in range(2)]

    assert cached == [False, True]
    assert client.get("/readyz").json == {"status": "ready", "cache": "redis"}
    with pytest.raises(redis.exceptions.NoPermissionError):
        redis.Redis.from_url(url).get("green:annotate:anything")


def test_deployments_sharing_one_redis_count_rate_limits_apart(redis_process):
    def deployment(prefix: str):
        config = make_config(redis_url=redis_process.url, cache_prefix=prefix, rate_limit="2/hour")
        return create_app(config).test_client()

    blue, green = deployment("blue:"), deployment("green:")

    blue_statuses = [annotate(blue, f"text {n}").status_code for n in range(3)]
    green_status = annotate(green, "text 0").status_code

    assert blue_statuses == [200, 200, 429]
    assert green_status == 200


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("", id="verified_by_default"),
        pytest.param("?ssl_cert_reqs=none", id="unverified_self_signed"),
    ],
)
def test_a_rediss_url_gets_a_tls_client_with_the_short_timeouts(query):
    config = make_config(redis_url=f"rediss://:pw@cache.internal:6380/0{query}")

    client = connect(config)

    pool = client.connection_pool
    connection = SSLConnection(**pool.connection_kwargs)  # built, not connected
    assert pool.connection_class is SSLConnection
    assert pool.connection_kwargs["socket_timeout"] == config.redis_timeout
    assert (connection.host, connection.port, connection.password) == ("cache.internal", 6380, "pw")
    assert connection.cert_reqs == (ssl.CERT_NONE if query else ssl.CERT_REQUIRED)


class RedisCluster:
    """Three redis-server masters joined into a cluster, each slot range on one of them."""

    def __init__(self, workdir: Path, nodes: int = 3) -> None:
        self.workdir = workdir
        self.ports = [_cluster_port() for _ in range(nodes)]
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        binary, cli = shutil.which("redis-server"), shutil.which("redis-cli")
        if binary is None or cli is None:
            pytest.fail("redis-server is not installed (.ci/run installs it)")
        for port in self.ports:
            self.processes.append(
                subprocess.Popen(
                    [binary, "--port", str(port), "--bind", "127.0.0.1",
                     "--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{port}.conf",
                     "--dir", str(self.workdir), "--save", "", "--appendonly", "no",
                     "--loglevel", "warning"],
                    stdout=subprocess.DEVNULL,
                )
            )  # fmt: skip
        for port in self.ports:
            _wait_for(lambda p=port: redis.Redis(port=p).ping())
        subprocess.run(
            [cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in self.ports), "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=30,
        )
        for port in self.ports:
            _wait_for(lambda p=port: redis.Redis(port=p).cluster("info")["cluster_state"] == "ok")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(10)


def _cluster_port() -> int:
    """A free port below the ephemeral range whose cluster-bus twin (+10000) is free too."""
    for _ in range(200):
        port = random.randrange(20000, 30000)
        if _is_free(port) and _is_free(port + 10000):
            return port
    pytest.fail("no free pair of ports for a cluster node")


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except redis.RedisError:
            pass
        time.sleep(0.05)
    pytest.fail("the Redis cluster did not come up")


@pytest.fixture
def redis_cluster(tmp_path) -> Iterator[RedisCluster]:
    cluster = RedisCluster(tmp_path)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_a_redis_cluster_holds_the_cache_and_the_rate_limits(redis_cluster, key_prefix):
    seed = f"redis://127.0.0.1:{redis_cluster.ports[0]}/0"
    config = make_config(
        redis_url=seed, redis_cluster=True, cache_prefix=key_prefix, rate_limit="3/hour"
    )
    client = create_app(config).test_client()

    texts = ["first article", "second article", "first article", "third article"]
    responses = [annotate(client, text) for text in texts]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.json["cached"] for r in responses[:3]] == [False, False, True]
    assert client.get("/readyz").json == {"status": "ready", "cache": "redis"}
    nodes = redis.RedisCluster.from_url(seed)
    assert (
        len(nodes.keys(key_prefix + "annotate:*", target_nodes=redis.RedisCluster.ALL_NODES)) == 2
    )


def test_repeats_answered_by_the_shortcut_count_into_the_clusters_rate_limits(
    redis_cluster, key_prefix
):
    seed = f"redis://127.0.0.1:{redis_cluster.ports[0]}/0"
    config = make_config(
        redis_url=seed, redis_cluster=True, cache_prefix=key_prefix, rate_limit="3/hour;50/day"
    )
    worker, other_worker = traced_client(config), traced_client(config)

    responses = [send(worker), send(worker), send(worker), send(other_worker)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [by_shortcut(r) for r in responses[:3]] == [False, False, True]
