"""The server through real HTTP requests: the page and its files, sessions, the event stream, controls, errors."""

import http.client
import socket
import threading
import time

import safetensors.numpy

from ourdl.playground import Run, parse
from ourdl.playground.server import make_server

from .conftest import Client


def test_page_and_static_files_are_served(client):
    status, page = client.get("/")
    assert status == 200 and b"ourdl playground" in page
    for name in (b"static/app.js", b"static/draw.js", b"static/network.js", b"static/playground.css"):
        assert name in page
        status, body = client.get("/" + name.decode())
        assert status == 200 and len(body) > 500
    assert client.get("/static/../server.py")[0] == 404
    assert client.get("/nothing")[0] == 404


def test_catalog_lists_elementwise_activations_with_parameters_and_presets(client):
    status, catalog = client.get("/api/catalog")
    assert status == 200
    names = {a["name"]: a for a in catalog["activations"]}
    assert names["leaky_relu"]["parameters"] == {"negative_slope": 0.01}
    assert names["elu"]["parameters"] == {"alpha": 1.0}
    assert "softmax" not in names and "relu" in names
    assert "relu-dies" in catalog["presets"] and catalog["maxLayers"] == 8


def test_a_session_streams_frames_and_playing_lowers_the_loss(client, server):
    session = client.session("dataset=gaussians&networkShape=3&points=100&learningRate=0.1")
    connection, frames = client.stream(session)
    first = next(frames)
    assert first["step"] == 0 and first["points"]["domain"] == [-6.0, 6.0]
    assert len(first["layers"]) == 1 and len(first["layers"][0]["units"]) == 3
    assert client.control(session, "play")[0] == 200
    seen = [next(frames) for _ in range(15)]
    assert seen[-1]["step"] > seen[0]["step"] > 0
    assert seen[-1]["trainLoss"] < first["trainLoss"]
    assert seen[-1]["surface"]["data"] != first["surface"]["data"]
    status, answer = client.control(session, "pause")
    assert status == 200 and answer["playing"] is False
    connection.close()


def test_step_trains_one_epoch_and_reset_starts_again(client):
    session = client.session("points=100&batchSize=10")
    connection, frames = client.stream(session)
    next(frames)
    client.control(session, "step")
    assert next(frames)["step"] == 5  # 50 training points in batches of 10
    client.control(session, "reset")
    frame = next(frames)
    assert frame["step"] == 0 and "points" in frame
    connection.close()


def test_bad_controls_and_states_get_400_with_a_message(client):
    status, answer = client.post("/api/session", {"query": "learningRate=abc"})
    assert status == 400 and "learningRate" in answer["error"]
    assert client.post("/api/session", {"query": "networkShape=1,2,3,4,5,6,7,8,9"})[0] == 400
    assert client.post("/api/session", {"query": "activation=softmax"})[0] == 400
    assert client.request("POST", "/api/session", b"{not json")[0] == 400
    session = client.session()
    status, answer = client.control(session, "set", batchSize="0")
    assert status == 400 and "batchSize" in answer["error"]
    status, answer = client.control(session, "jump")
    assert status == 400 and "unknown action" in answer["error"]
    status, answer = client.control(session, "set", activation="elu(beta=2)")
    assert status == 400 and "elu has no parameter 'beta'" in answer["error"]
    assert client.control("nosuchsession", "play")[0] == 404


def test_changing_settings_rebuilds_and_answers_the_new_state(client):
    session = client.session()
    status, answer = client.control(session, "set", networkShape="3,3,3", activation="relu;elu(alpha=0.5);tanh")
    assert status == 200
    settings = answer["settings"]
    assert settings["networkShape"] == [3, 3, 3]
    assert [a["text"] for a in settings["activations"]] == ["relu", "elu(alpha=0.5)", "tanh"]
    assert "networkShape=3%2C3%2C3" in settings["query"]


def test_exports_a_script_and_weights_with_pytorch_names(client):
    session = client.session("networkShape=2")
    status, script = client.get(f"/api/export/script?session={session}")
    assert status == 200 and b"import ourdl" in script
    status, data = client.get(f"/api/export/weights?session={session}")
    assert status == 200
    assert sorted(safetensors.numpy.load(data)) == ["0.bias", "0.weight", "2.bias", "2.weight"]


def test_closing_frees_the_session_and_ends_its_stream(client, server):
    session = client.session()
    connection, frames = client.stream(session)
    next(frames)
    assert len(server.sessions) == 1
    assert client.post(f"/api/close?session={session}")[0] == 204
    assert len(server.sessions) == 0
    assert list(frames) == []  # the stream ends
    connection.close()


def test_the_server_survives_a_client_that_disconnects_mid_stream(client, server):
    session = client.session()
    connection, frames = client.stream(session)
    client.control(session, "play")
    next(frames)
    connection.close()  # gone while frames are being written
    connection, frames = client.stream(session)
    assert next(frames)["step"] >= 0
    deadline = time.monotonic() + 10
    while server.sessions.get(session).streaming != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.sessions.get(session).streaming == 1  # the dropped stream's thread has ended
    connection.close()
    assert client.get("/api/catalog")[0] == 200


def test_loopback_server_refuses_a_foreign_host_header(client):
    assert client.get("/", Host="evil.example:80")[0] == 403


def test_another_host_needs_the_printed_token():
    server = make_server("0.0.0.0", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        assert server.token and f"?token={server.token}" in server.url
        assert server.url.startswith(f"http://{socket.gethostname()}:")
        client = Client(server)
        client.host = "127.0.0.1"
        assert client.get("/")[0] == 403
        status, answer = client.get("/api/catalog?token=wrong")
        assert status == 403 and "token" in answer["error"]
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", f"/?token={server.token}")
        response = connection.getresponse()
        assert response.status == 200 and server.token in response.getheader("Set-Cookie")
        response.read()
        assert client.get("/api/catalog", Cookie=f"ourdl_playground_token={server.token}")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_diverging_run_pauses_with_the_step_named_and_reset_recovers(client):
    session = client.session("dataset=plane&networkShape=8,8&activation=relu&learningRate=10&points=100&batchSize=50")
    connection, frames = client.stream(session)
    next(frames)
    client.control(session, "play")
    for frame in frames:
        if frame["diverged"]:
            break
    assert "diverged at step" in frame["diverged"] and frame["playing"] is False
    assert client.control(session, "play")[1]["playing"] is False  # a diverged run does not play
    client.control(session, "reset")
    frame = next(f for f in frames if "points" in f)  # the first frame of the new run
    assert frame["diverged"] is None and frame["step"] == 0 and frame["trainLoss"] is not None
    connection.close()


def test_a_users_registered_activation_is_offered(client, monkeypatch):
    import ourdl
    from ourdl.activations import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))

    @ourdl.activations.register(formula=r"x \cdot \tanh(a x)")
    def tanhgate(input, a=1.0):
        return input * ourdl.tanh(a * input)

    status, catalog = client.get("/api/catalog")
    assert {"name": "tanhgate", "formula": r"x \cdot \tanh(a x)", "module": "Tanhgate",
            "parameters": {"a": 1.0}} in catalog["activations"]
    session = client.session("activation=tanhgate(a=2)&networkShape=3")
    connection, frames = client.stream(session)
    assert next(frames)["layers"][0]["activation"] == "Tanhgate(a=2.0)"
    connection.close()


def test_regenerate_draws_new_points_and_the_address_keeps_them(client):
    session = client.session("dataset=xor&points=60")
    connection, frames = client.stream(session)
    before = next(frames)["points"]["train"]
    status, answer = client.control(session, "regenerate")
    assert status == 200 and "dataSeed=1" in answer["settings"]["query"]
    assert next(frames)["points"]["train"] != before
    connection.close()


def test_two_tabs_train_at_once_without_disturbing_each_other(client):
    sessions = [client.session("dataset=gaussians&networkShape=4,4&points=200&learningRate=0.1") for _ in range(2)]
    streams = [client.stream(session) for session in sessions]
    for session, (_, frames) in zip(sessions, streams):
        next(frames)
        client.control(session, "play")
    last = [None, None]
    for _ in range(15):
        for k, (_, frames) in enumerate(streams):
            last[k] = next(frames)  # a stream that broke would end here
    for session in sessions:
        client.control(session, "pause")
    for frame in last:  # each run is the one it would be alone, step for step
        alone = Run(parse("dataset=gaussians&networkShape=4,4&points=200&learningRate=0.1"))
        alone.train(frame["step"])
        assert frame["step"] > 0 and frame["trainLoss"] == round(alone.losses()[0], 6)
    for response, _ in streams:
        response.close()
