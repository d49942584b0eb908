"""The gunicorn worker ``sidenote serve --workers N`` runs: gunicorn's threaded worker, with a
bound on how long a client may take to send its request.

Why not gunicorn's sync worker: it serves one connection at a time, so while every worker runs
an analysis (up to SIDENOTE_TIME_BUDGET), /healthz and cache hits wait behind them, and a client
that opens a connection and sends nothing, or sends a byte a second, holds a whole worker until
gunicorn's timeout kills it. The threaded worker gives each worker a few threads, and keeps idle
kept-alive connections in its poller, without a thread.

What it leaves open, and this class closes: a thread waits 5 s for a new connection's first
byte (here FIRST_BYTE_SECONDS, then the connection waits in the poller and is closed after the
keep-alive seconds); once a request has begun, nothing bounds how long its headers and body take
(here a watchdog shuts the socket of a request not read within SIDENOTE_READ_TIMEOUT, and the
body is read whole before the app runs, so the bound covers it); and a worker whose threads are
all busy still accepts connections, which then wait for a thread (here it accepts only while a
thread is free, and the connection waits in the listen queue for whichever worker has one).
Threads switch every millisecond rather than every 5 ms, so a cheap request beside analyses
waits milliseconds (docs/security.md has the figures).
"""

from __future__ import annotations

import contextlib
import io
import socket
import sys
import threading
import time
from typing import Any

from gunicorn.http.body import ChunkedReader, LengthReader
from gunicorn.workers import gthread

from server.config import Config

FIRST_BYTE_SECONDS = 0.5
WATCH_INTERVAL = 0.25
SWITCH_SECONDS = 0.001


class SidenoteWorker(gthread.ThreadWorker):  # type: ignore[misc]
    def init_process(self) -> None:
        config = Config.from_env()
        self.read_seconds = config.read_timeout
        self.max_body_bytes = config.max_body_bytes
        self.assigned = 0  # connections handed to the threads; only the main thread changes it
        self.reading: dict[Any, float] = {}  # connection -> when its request must be read
        self.reading_lock = threading.Lock()
        threading.Thread(target=self._cut_slow_requests, name="read-watchdog", daemon=True).start()
        # A thread woken by a cheap request asks analysing threads for the interpreter every
        # SWITCH_SECONDS, not every 5 ms: /healthz and cache hits wait less behind analyses.
        sys.setswitchinterval(SWITCH_SECONDS)
        super().init_process()

    # Accept only while a thread is free.

    def enqueue_req(self, conn: Any) -> None:
        self.assigned += 1
        if self.assigned >= self.cfg.threads:
            super().set_accept_enabled(False)
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.assigned -= 1
        super().finish_request(conn, fs)

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled and self.assigned < self.cfg.threads)

    # Bound the time a request takes to arrive.

    def handle(self, conn: Any) -> Any:
        """Runs in a thread: wait briefly for the first byte, then read within the deadline."""
        first = not conn.initialized and not conn.data_ready
        if first and not conn.wait_for_data(FIRST_BYTE_SECONDS):
            return gthread._DEFER  # the poller waits for it, not a thread
        with self.reading_lock:
            self.reading[conn] = time.monotonic() + self.read_seconds
        try:
            return super().handle(conn)
        finally:
            self._read(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        """Read the body before the app runs, so the read deadline covers it too."""
        body = req.body
        reader = body.reader if body is not None else None
        declared = reader.length if isinstance(reader, LengthReader) else None
        # A declared length over the limit gets its 413 unread; a request without a length or
        # chunks has no body (reading it would wait for the client to close).
        if isinstance(reader, ChunkedReader) or 0 < (declared or 0) <= self.max_body_bytes:
            data = body.read(self.max_body_bytes + 1)
            rest = body.buf.getvalue()
            body.buf = io.BytesIO()
            body.buf.write(data + rest)  # gunicorn's Body serves its buffer first
            if declared is not None and len(data) < declared:
                self._read(conn)
                return False  # cut off by the watchdog, or the client left: no answer, close
        if not self._read(conn):
            return False
        return super().handle_request(req, conn)

    def _read(self, conn: Any) -> bool:
        """The request has arrived: stop watching it; False if the watchdog had cut it."""
        with self.reading_lock:
            return self.reading.pop(conn, None) is not None

    def _cut_slow_requests(self) -> None:
        """Shut the socket of every request still arriving past its deadline: the thread
        reading it sees the end of the stream and moves on."""
        while True:
            time.sleep(WATCH_INTERVAL)
            now = time.monotonic()
            with self.reading_lock:
                late = [conn for conn, deadline in self.reading.items() if deadline < now]
                for conn in late:
                    del self.reading[conn]
                    with contextlib.suppress(OSError):  # closed meanwhile
                        conn.sock.shutdown(socket.SHUT_RDWR)
            for _ in late:
                self.log.info("Closed a connection whose request took over %ss", self.read_seconds)
