"""A threaded HTTP server on 127.0.0.1 that stands in for another service in tests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer:
    """Serves `handler_class` on a free port of 127.0.0.1, in a thread, until stopped.

    After `stop` it starts again on the same port, so a client configured with its address finds it
    again (stopping is how tests make a service unreachable). The handler reaches this object as
    `self.server.owner`.
    """

    handler_class: type[BaseHTTPRequestHandler]
    thread_name = "local-server"

    def __init__(self):
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), self.handler_class)
        self._server.owner = self
        self._port = self._server.server_address[1]
        # A short poll interval, so that stopping takes milliseconds rather than half a second.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name=self.thread_name, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
