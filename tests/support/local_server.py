"""A threaded HTTP server on 127.0.0.1 that stands in for another service in tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeServiceHandler(BaseHTTPRequestHandler):
    """A request handler that hands each GET and POST to its server's owner (`owner._handle(handler,
    method)`), and gives the owner ways to answer: JSON, raw bytes, or a dropped connection."""

    def do_GET(self):
        self.server.owner._handle(self, "GET")

    def do_POST(self):
        self.server.owner._handle(self, "POST")

    def reply(self, status: int, body: dict | list) -> None:
        self.reply_raw(status, json.dumps(body).encode(), "application/json")

    def reply_raw(self, status: int, content: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def drop(self) -> None:
        self.close_connection = True

    def log_message(self, format, *args):
        pass  # Keep test output quiet: each fake records the requests it is sent.


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
