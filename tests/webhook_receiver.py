"""A loopback HTTP endpoint standing in for an organisation's webhook receiver."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """A loopback endpoint recording what it is sent; fails the first `failures` posts.
    `host` may be any loopback address (127.0.0.2 stands for a second machine)."""

    def __init__(self, failures: int = 0, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.failures = failures
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                if outer.failures > 0:
                    outer.failures -= 1
                    self.send_response(500)
                else:
                    outer.received.append((dict(self.headers), body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://{host}:{self.port}/hook"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def wait(self, count: int, timeout: float = 20) -> list[tuple[dict[str, str], bytes]]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
