"""Calls a WSGI application in-process, the way a server would, for tests."""

import io
import json
from urllib.parse import urlsplit


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def call(app, method, url, json_body=None, raw_body=None):
    """Sends one request; `json_body` is encoded as JSON, `raw_body` (bytes) is sent as it is."""
    parts = urlsplit(url)
    body = raw_body if raw_body is not None else (b"" if json_body is None else json.dumps(json_body).encode("utf-8"))
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = {name.lower(): value for name, value in headers}

    chunks = app(environ, start_response)
    try:
        payload = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return Response(captured["status"], captured["headers"], payload)
