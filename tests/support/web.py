"""A local HTTP server on 127.0.0.1 that stands in for the publishers in the fetch tests.

``routes[path]`` is either ``(body, headers)`` (answered 200 with a Content-Length) or a
function ``respond(handler)`` that writes the whole answer itself: a redirect, a body that
never ends, a server that drips one byte at a time. The server runs in a thread of the test.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote


class Server:
    """Serves ``routes``; tests edit them between runs. ``stop`` tells endless answers to end."""

    def __init__(self):
        routes: dict = {}
        self.routes = routes
        self.stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                answer = routes.get(self.path)
                if answer is None:
                    self.send_error(404)
                    return
                if callable(answer):
                    answer(self)
                    return
                body, headers = answer
                self.send_response(200)
                for k, v in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def html(self, path: str, body: str):
        self.routes[path] = (body.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    def file(self, path: str, body: bytes, filename: str | None = None):
        headers = {"Content-Type": "application/octet-stream"}
        if filename:
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        self.routes[path] = (body, headers)

    def redirect(self, path: str, location: str):
        """``path`` answers 302 with ``Location: location``."""
        def respond(handler):
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        self.routes[path] = respond

    def endless(self, path: str, declared: int | None, every: float = 0.0, chunk: bytes = b"\0" * 65536):
        """``path`` sends ``chunk`` after ``chunk`` (one every ``every`` seconds) until the client
        hangs up or the test ends; ``declared`` is the Content-Length announced (None: none)."""
        stop = self.stop

        def respond(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "application/octet-stream")
            if declared is not None:
                handler.send_header("Content-Length", str(declared))
            handler.end_headers()
            try:
                while not stop.is_set():
                    handler.wfile.write(chunk)
                    handler.wfile.flush()
                    if every:
                        stop.wait(every)
            except OSError:  # the client hung up: what the test wants
                pass
            handler.close_connection = True
        self.routes[path] = respond

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

