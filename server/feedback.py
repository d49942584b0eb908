"""Reader feedback on annotations ("Not the writer's opinion", "Wrong speaker", ...), kept for
refitting the analyzers.

A record names the annotation (pipeline version, kind, offsets, its words), the reader's label
and an optional comment, and the SHA-256 of the annotated text: never the text, never the
reader's address, and the page URL only where the reader allowed it. Redis keeps the records
in one capped stream under the deployment's key prefix (``XADD ... MAXLEN ~ N``: the oldest
records go first, a little past N at most); without Redis, the service keeps the last N in
memory, lost when it restarts. ``sidenote feedback export`` writes them out as JSON lines,
``sidenote feedback clear`` deletes them (docs/feedback.md).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import Any, Protocol

import redis
from redis.exceptions import RedisError

from server.cache import connect
from server.config import Config

# What a reader can say of each kind of annotation (the extension shows one button for each).
LABELS = {
    "opinion": ("not_opinion", "wrong_reason"),
    "quote": ("wrong_speaker", "not_quote"),
    "outlet": ("rating_wrong",),
}


class FeedbackUnavailable(Exception):
    """The store could not take the record (Redis unreachable): the reader is told to retry."""


class FeedbackStore(Protocol):
    kind: str

    def add(self, record: dict[str, Any]) -> str: ...

    def export(self) -> Iterator[dict[str, Any]]: ...

    def clear(self) -> int: ...


class MemoryFeedback:
    """The last ``max_records`` records of this process (``sidenote serve`` without Redis)."""

    kind = "memory"

    def __init__(self, max_records: int) -> None:
        self._records: deque[dict[str, Any]] = deque(maxlen=max_records)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, record: dict[str, Any]) -> str:
        with self._lock:
            record_id = f"{int(time.time() * 1000)}-{next(self._ids)}"
            self._records.append({"id": record_id, **record})
        return record_id

    def export(self) -> Iterator[dict[str, Any]]:
        with self._lock:
            records = list(self._records)
        yield from records

    def clear(self) -> int:
        with self._lock:
            count = len(self._records)
            self._records.clear()
        return count


class RedisFeedback:
    """One capped Redis Stream, ``<prefix>feedback``, shared by every worker and machine."""

    kind = "redis"

    def __init__(
        self, client: redis.Redis | redis.RedisCluster, key: str, max_records: int
    ) -> None:
        self.client = client
        self.key = key
        self.max_records = max_records

    @classmethod
    def from_config(cls, config: Config) -> RedisFeedback:
        return cls(connect(config), config.cache_prefix + "feedback", config.feedback_max)

    def add(self, record: dict[str, Any]) -> str:
        value = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        try:
            stream_id = self.client.xadd(
                self.key, {"record": value}, maxlen=self.max_records, approximate=True
            )
        except (RedisError, OSError) as error:
            raise FeedbackUnavailable(type(error).__name__) from None
        return stream_id.decode() if isinstance(stream_id, bytes) else str(stream_id)

    def export(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Oldest first, in batches, so a long stream never sits in memory whole."""
        after = "-"
        while True:
            entries = self.client.xrange(self.key, min=after, max="+", count=batch)
            for stream_id, fields in entries:
                yield {"id": stream_id.decode(), **json.loads(fields[b"record"])}
            if len(entries) < batch:
                return
            after = "(" + entries[-1][0].decode()

    def clear(self) -> int:
        count = self.client.xlen(self.key)
        self.client.delete(self.key)
        return int(count)


def create_store(config: Config) -> FeedbackStore | None:
    """None when feedback is off: nothing is accepted, nothing stored."""
    if not config.feedback:
        return None
    if config.redis_url:
        return RedisFeedback.from_config(config)
    return MemoryFeedback(config.feedback_max)
