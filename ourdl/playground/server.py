"""The playground's local web server: the static page, a JSON API for controls, and Server-Sent Events for frames.

The standard library serves it (``ThreadingHTTPServer``: one thread per request, a
stream holds its thread). Routes: ``GET /`` the page; ``GET /static/NAME`` its files;
``GET /api/catalog`` the choices (activations with their parameters, datasets,
presets, ...); ``POST /api/session`` ``{"query": ...}`` a new session for a URL state;
``GET /api/stream?session=ID`` the frames; ``POST /api/control?session=ID``
``{"action": ..., "set": {...}}``; ``GET /api/export/script`` and
``/api/export/weights``; ``POST /api/close``. Bad input gets a 400 with
``{"error": message}``; an unknown session a 404.

Bound to the loopback address, it answers only requests whose ``Host`` is that
address (no other site can reach it through DNS rebinding); bound elsewhere, every
request must carry the random ``token`` printed in the URL (the page keeps it as a cookie).

>>> server = make_server(port=0)
>>> server.url.startswith("http://127.0.0.1:")
True
>>> server.server_close()
"""

from __future__ import annotations

import functools
import http.server
import ipaddress
import json
import secrets
import socket
import sys
import threading
import traceback
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np

import ourdl

from .. import activations
from . import datasets, export, presets, settings as settings_module
from .sessions import ENGINE, Sessions
from .settings import SettingsError

STATIC = Path(__file__).parent / "static"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css",
         ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon"}
COOKIE = "ourdl_playground_token"
MAX_BODY = 65536


def catalog() -> dict:
    """The choices the page offers: activations (with parameters and formulas), datasets, features, presets, limits.

    >>> "leaky_relu" in [a["name"] for a in catalog()["activations"]]
    True
    """
    entries = [activations.get(name) for name in settings_module.activation_names()]
    return {
        "activations": [{"name": e.name, "formula": e.formula, "module": e.module_name,
                         "parameters": {k: v for k, v in e.parameters.items() if isinstance(v, (bool, int, float, str))}}
                        for e in entries],
        "datasets": settings_module.DATASETS, "features": settings_module.FEATURES,
        "oneDimensionalFeatures": settings_module.ONE_D_FEATURES, "optimizers": settings_module.OPTIMIZERS,
        "inits": settings_module.INITS, "losses": settings_module.LOSSES,
        "regularizations": settings_module.REGULARIZATIONS, "hideable": settings_module.HIDEABLE,
        "maxLayers": settings_module.MAX_LAYERS, "maxUnits": settings_module.MAX_UNITS,
        "presets": presets.PRESETS, "defaults": settings_module.to_query(settings_module.Settings()),
        "previews": previews(), "version": ourdl.__version__,
    }


@functools.lru_cache(maxsize=1)
def previews() -> dict:
    """A few points of every dataset, for the page's thumbnails: [x1, x2 or y, label or value] each.

    >>> len(previews()["circles"]), len(previews()["quadratic"][0])
    (120, 3)
    """
    out = {}
    for name, problem in settings_module.DATASETS.items():
        features = ("x1",) if name == "quadratic" else settings_module.Settings.features
        data = datasets.make(settings_module.Settings(dataset=name, problem=problem, points=120, train_percent=90,
                                                      features=features))
        x, y = np.concatenate([data.x_train, data.x_test]), np.concatenate([data.y_train, data.y_test])[:, 0]
        rows = np.c_[x[:, 0], y, y] if name == "quadratic" else np.c_[x, y]
        out[name] = np.round(rows, 3).tolist()
    return out


def describe(s) -> dict:
    """Settings as the page reads them: URL keys, lists for lists, each layer's activation as name and parameters.

    >>> describe(settings_module.parse("networkShape=3&activation=elu(alpha=0.5)"))["activations"]
    [{'name': 'elu', 'params': {'alpha': 0.5}, 'text': 'elu(alpha=0.5)'}]
    """
    return {"query": settings_module.to_query(s), "dataset": s.dataset, "problem": s.problem,
            "percTrainData": s.train_percent, "noise": s.noise, "batchSize": s.batch_size, "points": s.points,
            "dataSeed": s.data_seed, "features": list(s.features), "networkShape": list(s.layers),
            "activations": [{"name": a.name, "params": a.params, "text": str(a)} for a in s.activations],
            "learningRate": s.learning_rate, "regularization": s.regularization,
            "regularizationRate": s.regularization_rate, "optimizer": s.optimizer, "init": s.init, "loss": s.loss,
            "seed": s.seed, "showTestData": s.show_test_data, "discretize": s.discretize, "hide": list(s.hide),
            "preset": presets.matching(s)}


class PlaygroundServer(http.server.ThreadingHTTPServer):
    """A ThreadingHTTPServer holding the sessions, the access token (None on loopback) and the frame rate.

    >>> server = PlaygroundServer("127.0.0.1", 0, token=None, fps=20)
    >>> len(server.sessions), server.fps
    (0, 20)
    >>> server.server_close()
    """

    daemon_threads = True

    def __init__(self, host: str, port: int, token: str | None, fps: float = 30.0):
        self.sessions = Sessions()
        self.token, self.fps = token, fps
        super().__init__((host, port), Handler)
        self.host = host
        shown = socket.gethostname() if _unspecified(host) else f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.server_address[1]}/" + (f"?token={token}" if token else "")

    def server_close(self) -> None:
        self.sessions.close_all()
        super().server_close()


def _unspecified(host: str) -> bool:
    """Whether ``host`` means every interface (0.0.0.0, ::): the printed link then names this machine."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(host: str = "127.0.0.1", port: int = 8765, fps: float = 30.0) -> PlaygroundServer:
    """A server bound to ``host:port`` (port 0: any free one), not yet serving; a random token off loopback.

    >>> server = make_server("127.0.0.1", 0)
    >>> server.token is None
    True
    >>> server.server_close()
    """
    return PlaygroundServer(host, port, None if _loopback(host) else secrets.token_urlsafe(18), fps)


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True, query: str = "") -> None:
    """Serve the playground until interrupted (Ctrl-C), printing the URL; ``query`` opens a state (after ``#``).

    It sets NumPy's BLAS to one thread (``ourdl.set_num_threads(1)``) for the process: the playground's matrices
    are tiny, and a second thread would only spin against the browser drawing the frames.

    >>> callable(serve)
    True
    """
    ourdl.set_num_threads(1)  # tiny matrices: a second BLAS thread only spins against the page's renderer
    server = make_server(host, port)
    url = server.url + (f"#{query}" if query else "")
    if server.token:
        print(f"warning: the playground listens on {host}, reachable from other machines; anyone with the link "
              f"(it holds a random access token) can use it and run training on this computer", file=sys.stderr)
    print(f"ourdl playground: {url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        import webbrowser  # only when a browser is wanted: it looks for one at import

        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("ourdl playground: stopped")
    finally:
        server.server_close()


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes one request; every answer is JSON, a static file, or an event stream (see the module's docstring).

    >>> sorted(path for method, path in ROUTES if method == "POST")
    ['/api/close', '/api/control', '/api/session']
    """

    server: PlaygroundServer
    server_version = "ourdl-playground"

    def log_message(self, format, *args) -> None:  # one line per request would drown the URL the user needs
        pass

    # -- answers ------------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value) -> None:
        self._send(status, json.dumps(value).encode(), "application/json")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    # -- checks -------------------------------------------------------------------------------------
    def _allowed(self, query: dict) -> bool:
        server = self.server
        if server.token is None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if not _loopback(host):
                self._error(HTTPStatus.FORBIDDEN, "this playground answers only at its loopback address")
                return False
            return True
        given = query.get("token", [""])[0] or self._cookie()
        if not secrets.compare_digest(given.encode(), server.token.encode()):
            self._error(HTTPStatus.FORBIDDEN, "a token is needed: open the exact link the playground printed")
            return False
        return True

    def _cookie(self) -> str:
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == COOKIE:
                return value
        return ""

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise SettingsError(f"the request body is {length} bytes; at most {MAX_BODY} are read")
        try:
            value = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, UnicodeDecodeError) as error:
            raise SettingsError(f"the request body is not JSON: {error}") from None
        if not isinstance(value, dict):
            raise SettingsError("the request body must be a JSON object")
        return value

    # -- routes -------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if not self._allowed(query):
            return
        try:
            route = ROUTES.get((method, url.path))
            if route is None and method == "GET" and url.path.startswith("/static/"):
                return self._static(url.path[len("/static/"):])
            if route is None:
                return self._error(HTTPStatus.NOT_FOUND, f"no such page: {method} {url.path}")
            route(self, query)
        except SettingsError as error:
            self._error(HTTPStatus.BAD_REQUEST, str(error))
        except KeyError as error:
            self._error(HTTPStatus.NOT_FOUND, error.args[0] if error.args else "not found")
        except RuntimeError as error:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away mid-answer; nothing is left to tell it
        except Exception as error:  # a fault of the server: the page gets a message, the log the traceback
            traceback.print_exc()
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the playground failed: {type(error).__name__}: {error}")

    def _session(self, query: dict):
        return self.server.sessions.get(query.get("session", [""])[0])

    def _index(self, query: dict) -> None:
        headers = {}
        if self.server.token:
            headers["Set-Cookie"] = f"{COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/"
        self._send(HTTPStatus.OK, (STATIC / "index.html").read_bytes(), TYPES[".html"], headers)

    def _static(self, name: str) -> None:
        files = {path.name: path for path in STATIC.iterdir() if path.is_file()}
        if name not in files:
            return self._error(HTTPStatus.NOT_FOUND, f"no static file {name!r}")
        self._send(HTTPStatus.OK, files[name].read_bytes(), TYPES.get(files[name].suffix, "application/octet-stream"))

    def _catalog(self, query: dict) -> None:
        self._json(HTTPStatus.OK, catalog())

    def _create(self, query: dict) -> None:
        body = self._body()
        text = body.get("query", "")
        if not isinstance(text, str):
            raise SettingsError("'query' must be the text after # in the address")
        session = self.server.sessions.create(settings_module.parse(text))
        self._json(HTTPStatus.OK, {"session": session.id, "settings": describe(session.settings)})

    def _control(self, query: dict) -> None:
        session = self._session(query)
        body = self._body()
        changes = body.get("set")
        if changes is not None and not (isinstance(changes, dict) and
                                        all(isinstance(v, (str, int, float, bool)) for v in changes.values())):
            raise SettingsError("'set' must map settings (URL keys) to plain values")
        if changes:
            changes = {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in changes.items()}
        session.control(str(body.get("action", "")), changes)
        self._json(HTTPStatus.OK, {"settings": describe(session.settings), "playing": session.playing})

    def _close(self, query: dict) -> None:
        self.server.sessions.close(query.get("session", [""])[0])
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")

    def _script(self, query: dict) -> None:
        session = self._session(query)
        with session.changed, ENGINE:
            text = export.script(session.run)
        self._send(HTTPStatus.OK, text.encode(), "text/x-python; charset=utf-8",
                   {"Content-Disposition": 'attachment; filename="playground_run.py"'})

    def _weights(self, query: dict) -> None:
        session = self._session(query)
        with session.changed, ENGINE:
            data = export.weights(session.run)
        self._send(HTTPStatus.OK, data, "application/octet-stream",
                   {"Content-Disposition": 'attachment; filename="playground_run.safetensors"'})

    def _stream(self, query: dict) -> None:
        session = self._session(query)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        frames = session.frames(self.server.fps)
        try:
            for frame in frames:
                if frame is None:
                    self.wfile.write(b": still here\n\n")  # a comment: finds a closed tab, keeps proxies open
                else:
                    self.wfile.write(b"data: " + json.dumps(frame, separators=(",", ":")).encode() + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the tab closed or reloaded: the session waits, and is dropped if nobody comes back
        finally:
            frames.close()


ROUTES = {
    ("GET", "/"): Handler._index, ("GET", "/index.html"): Handler._index, ("GET", "/api/catalog"): Handler._catalog,
    ("POST", "/api/session"): Handler._create, ("POST", "/api/control"): Handler._control,
    ("POST", "/api/close"): Handler._close, ("GET", "/api/stream"): Handler._stream,
    ("GET", "/api/export/script"): Handler._script, ("GET", "/api/export/weights"): Handler._weights,
}
