"""A playground server on a free loopback port, serving on a thread, with small helpers for real HTTP requests."""

import http.client
import json
import threading

import pytest

from ourdl.playground.server import make_server


class Client:
    """Requests to one server: ``get``/``post`` return (status, decoded JSON or bytes); ``stream`` yields frames."""

    def __init__(self, server):
        self.host, self.port = server.server_address[:2]

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        connection.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        kind = response.getheader("Content-Type") or ""
        return response.status, json.loads(payload) if kind.startswith("application/json") else payload

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path, body=None):
        return self.request("POST", path, body if body is not None else {})

    def session(self, query=""):
        status, answer = self.post("/api/session", {"query": query})
        assert status == 200, answer
        return answer["session"]

    def control(self, session, action, **changes):
        return self.post(f"/api/control?session={session}", {"action": action, **({"set": changes} if changes else {})})

    def stream(self, session):
        """(response, generator of frames): frames are the decoded ``data:`` events; ``response.close()`` hangs up."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        connection.request("GET", f"/api/stream?session={session}")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"

        def frames():
            while True:
                line = response.fp.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    yield json.loads(line[6:])

        return response, frames()


@pytest.fixture
def server():
    instance = make_server("127.0.0.1", 0, fps=60)
    thread = threading.Thread(target=instance.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield instance
    instance.shutdown()
    instance.server_close()
    thread.join(5)


@pytest.fixture
def client(server):
    return Client(server)
