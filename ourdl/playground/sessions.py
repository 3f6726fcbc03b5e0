"""Sessions: one per browser tab, each with its own run, and the loop that trains it and yields its frames.

A session is changed by controls (play, pause, step, reset, regenerate, new settings)
from any request thread and advanced by the thread serving its event stream; a
condition variable guards it, so a control waits at most one frame's training.
Playing, each frame trains for about half the frame's time (at least one step), then
draws. A diverging run pauses with a message naming the step.

>>> from ourdl.playground.settings import Settings
>>> sessions = Sessions()
>>> session = sessions.create(Settings(points=40))
>>> session.control("step")
>>> frame = next(session.frames(fps=1000))
>>> frame["step"] == session.run.steps_per_epoch, len(sessions)
(True, 1)
>>> sessions.close(session.id); len(sessions)
0
"""

from __future__ import annotations

import secrets
import threading
import time

from . import frames as frame_maker
from .run import Run
from .settings import Settings, SettingsError, update

ACTIONS = ("play", "pause", "step", "reset", "regenerate", "set")
ENGINE = threading.Lock()
"""Held while any session builds, trains or draws its run: ourdl's grad mode is one switch for the whole process,
so one tab's ``no_grad`` drawing must not overlap another tab's training step. Taken after a session's own lock."""


class Session:
    """One tab's run and what it is doing (playing, steps still to take), guarded by :attr:`changed`.

    >>> from ourdl.playground.settings import Settings
    >>> session = Session(Settings(points=40))
    >>> session.control("set", {"networkShape": "3"}); session.run.settings.layers, session.version
    ((3,), 1)
    """

    def __init__(self, settings: Settings):
        self.id = secrets.token_hex(8)
        self.changed = threading.Condition()
        self.settings = settings
        with ENGINE:
            self.run = Run(settings)
        self.playing = False
        self.pending = 0      # steps the step button still asks for
        self.version = 0      # bumped when the data or the network is rebuilt: the page then needs the points
        self.dirty = True     # something to draw that the stream has not sent
        self.stream = 0       # the newest stream's number: an older stream stops
        self.streaming = 0    # streams open now
        self.last_seen = time.monotonic()
        self.closed = False

    def control(self, action: str, changes: dict | None = None) -> None:
        """Apply a control: play, pause, step (one epoch), reset, regenerate (new data), set (URL keys → values).

        Bad settings raise :class:`SettingsError` and change nothing; a settings change rebuilds the run.
        """
        if action not in ACTIONS:
            raise SettingsError(f"unknown action {action!r}; the actions are {', '.join(ACTIONS)}")
        if action == "set" and not isinstance(changes, dict):
            raise SettingsError("action set needs 'set': an object of settings (URL keys) to values")
        with self.changed:
            if action == "set":
                settings = update(self.settings, changes)
                display_only = all(key in ("showTestData", "discretize") or key.endswith("_hide") for key in changes)
                self.settings = settings
                if display_only:
                    self.run.settings = settings
                else:
                    self._rebuild()
            elif action == "regenerate":
                self.settings = update(self.settings, {"dataSeed": str(self.settings.data_seed + 1)})
                self._rebuild()
            elif action == "reset":
                self._rebuild()
            elif action == "play":
                self.playing = not self.run.diverged
            elif action == "pause":
                self.playing = False
            elif action == "step":
                self.playing = False
                self.pending += 0 if self.run.diverged else self.run.steps_per_epoch
            self.dirty = True
            self.changed.notify_all()

    def _rebuild(self) -> None:
        with ENGINE:
            self.run = Run(self.settings)
        self.pending = 0
        self.version += 1

    def frames(self, fps: float = 30.0, keepalive: float = 15.0):
        """Yield a frame whenever there is something new to draw (None after ``keepalive`` s of nothing), until
        the session closes or a newer stream takes over. Playing, about ``fps`` frames a second."""
        with self.changed:
            self.stream += 1
            self.streaming += 1
            mine, sent_version, history_from = self.stream, -1, 0
            self.changed.notify_all()  # an older stream of this session wakes and ends
        try:
            while True:
                started = time.monotonic()
                with self.changed:
                    if not (self.closed or self.stream != mine or self._news(sent_version)):
                        self.changed.wait(keepalive)
                    if self.closed or self.stream != mine:
                        return
                    frame = None
                    if self._news(sent_version):
                        with ENGINE:
                            self._advance(started + 0.5 / fps)
                            if sent_version != self.version:
                                sent_version, history_from = self.version, 0
                                self.run.record()  # the loss curves' first point: the losses before any step
                            frame = frame_maker.frame(self.run, points=history_from == 0, history_from=history_from)
                        history_from = len(self.run.history)
                        frame.update(playing=self.playing, version=self.version)
                        self.dirty = False
                yield frame
                if frame is not None and self.playing:
                    time.sleep(max(0.0, started + 1.0 / fps - time.monotonic()))
        finally:
            with self.changed:
                self.streaming -= 1
                self.last_seen = time.monotonic()

    def _news(self, sent_version: int) -> bool:
        """Whether a stream that last sent ``sent_version`` has something to send: a new run counts (a page that
        reconnects gets its frame at once)."""
        return bool(self.playing or self.pending or self.dirty or sent_version != self.version)

    def _advance(self, until: float) -> None:
        """Train while playing until the monotonic clock reads ``until`` (at least one step), or take pending steps."""
        run = self.run
        if self.pending:
            before = run.step
            run.train(self.pending)
            self.pending = 0
            if run.step != before:
                run.record()
        elif self.playing:
            run.train(1)
            while time.monotonic() < until and not run.diverged:
                run.train(1)
            run.record()
        if run.diverged:
            self.playing = False


class Sessions:
    """The server's sessions by id; at most ``limit``; one whose page has gone is dropped after ``idle`` seconds.

    >>> from ourdl.playground.settings import Settings
    >>> sessions = Sessions(limit=1)
    >>> _ = sessions.create(Settings(points=20))
    >>> sessions.create(Settings(points=20))
    Traceback (most recent call last):
    ...
    RuntimeError: the playground already serves 1 sessions (tabs); close one and reload
    """

    def __init__(self, limit: int = 32, idle: float = 60.0):
        self.limit, self.idle = limit, idle
        self._by_id: dict = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._by_id)

    def create(self, settings: Settings) -> Session:
        """A new session for ``settings`` (after dropping idle ones); RuntimeError when ``limit`` are open."""
        self.drop_idle()
        with self._lock:
            if len(self._by_id) >= self.limit:
                raise RuntimeError(f"the playground already serves {self.limit} sessions (tabs); close one and reload")
            session = Session(settings)
            self._by_id[session.id] = session
        return session

    def get(self, session_id: str) -> Session:
        """The session ``session_id``; KeyError when there is none (closed, dropped, or never made)."""
        with self._lock:
            session = self._by_id.get(session_id)
        if session is None:
            raise KeyError(f"no session {session_id!r}: it was closed or expired; reload the page")
        session.last_seen = time.monotonic()
        return session

    def close(self, session_id: str) -> None:
        """End a session: its stream stops and its run is freed. Closing an unknown id does nothing."""
        with self._lock:
            session = self._by_id.pop(session_id, None)
        if session is not None:
            with session.changed:
                session.closed = True
                session.changed.notify_all()

    def close_all(self) -> None:
        """End every session (the server is stopping)."""
        for session_id in list(self._by_id):
            self.close(session_id)

    def drop_idle(self) -> None:
        """Close the sessions nobody has streamed or controlled for ``idle`` seconds."""
        now = time.monotonic()
        for session_id, session in list(self._by_id.items()):
            if session.streaming == 0 and now - session.last_seen > self.idle:
                self.close(session_id)
