"""A slow server, on 127.0.0.1, for tests that need Redis or PostgreSQL to be slow rather than down.

`SlowServer(upstream=…, delay=…)` is a TCP proxy in front of a real server that holds each of its
answers back for `delay` seconds; `SlowServer()` (no upstream) takes connections and reads what is
sent, but never answers, as a server that is overloaded, or half-failed over, does. Either way
connecting succeeds at once: what the client meets is the wait for an answer.
`SlowServer(answer=b"…")` answers whatever it is sent with those bytes: a server answering garbage,
or a Redis refusing every command (`-READONLY …`, as a replica does after a failover).
"""

import contextlib
import socket
import threading
import time


class SlowServer:
    def __init__(self, *, upstream: tuple[str, int] | None = None, delay: float = 0.0, answer: bytes | None = None):
        self.upstream = upstream
        self.delay = delay
        self.answer = answer
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """Its address as a Redis URL."""
        return f"redis://127.0.0.1:{self._port}/0"

    def __enter__(self):
        threading.Thread(target=self._accept, name="slow-server", daemon=True).start()
        return self

    def __exit__(self, *exc_info):
        self._stopping.set()
        self._listener.close()
        with self._lock:
            for each in self._sockets:
                each.close()

    def _keep(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._keep(client)
            with self._lock:
                self.connections += 1
            if self.upstream is None:
                threading.Thread(target=self._swallow, args=(client,), daemon=True).start()
                continue
            server = self._keep(socket.create_connection(self.upstream, timeout=5))
            server.settimeout(None)
            threading.Thread(target=self._pipe, args=(client, server, 0.0), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, self.delay), daemon=True).start()

    def _swallow(self, client: socket.socket):
        with contextlib.suppress(OSError):
            while not self._stopping.is_set() and client.recv(65536):
                if self.answer is not None:
                    client.sendall(self.answer)

    def _pipe(self, source: socket.socket, target: socket.socket, delay: float):
        try:
            while chunk := source.recv(65536):
                if delay:
                    time.sleep(delay)
                if self._stopping.is_set():
                    return
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for each in (source, target):
                with contextlib.suppress(OSError):
                    each.shutdown(socket.SHUT_RDWR)
