"""Sessions: a limit on how many, idle ones dropped, a newer stream taking over from an older one."""

from ourdl.playground.sessions import Sessions
from ourdl.playground.settings import parse


def test_an_idle_session_without_a_stream_is_dropped_and_a_streaming_one_kept():
    sessions = Sessions(idle=0.0)
    idle, watched = sessions.create(parse("points=20")), sessions.create(parse("points=20"))
    stream = watched.frames(fps=1000)
    next(stream)
    sessions.drop_idle()
    assert idle.closed and not watched.closed and len(sessions) == 1
    stream.close()
    assert watched.streaming == 0


def test_a_newer_stream_ends_the_older_one():
    session = Sessions().create(parse("points=20"))
    old = session.frames(fps=1000)
    next(old)
    new = session.frames(fps=1000)
    assert "points" in next(new)  # a page that reconnects to a paused run gets its whole frame at once
    session.control("step")
    assert list(old) == []  # the old stream sees it is no longer the newest and stops
    assert next(new)["step"] == 1


def test_too_many_tabs_get_a_503_with_a_message(client, server):
    server.sessions.limit = 1
    client.session()
    status, answer = client.post("/api/session", {"query": ""})
    assert status == 503 and "close one" in answer["error"]
