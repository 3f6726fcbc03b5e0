"""``ourdl playground`` on the command line: its options, and errors that say what would be right."""

import socket

from ourdl.cli import build_parser, main


def test_playground_is_a_command_with_its_options():
    args = build_parser().parse_args(["playground", "--port", "0", "--no-browser", "--preset", "relu-dies"])
    assert (args.port, args.host, args.no_browser, args.preset) == (0, "127.0.0.1", True, "relu-dies")


def test_unknown_preset_and_busy_port_are_errors(capsys):
    assert main(["playground", "--no-browser", "--preset", "nope"]) == 2
    assert "unknown lesson 'nope'" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["playground", "--no-browser", "--port", str(taken.getsockname()[1])]) == 2
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_import_of_a_missing_module_is_an_error(capsys):
    assert main(["playground", "--no-browser", "--import", "no_such_module_here"]) == 2
    assert "--import no_such_module_here" in capsys.readouterr().err


def test_the_page_ships_as_package_data():
    import fnmatch
    import tomllib
    from pathlib import Path

    import ourdl.playground

    root = Path(ourdl.playground.__file__).parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["ourdl"]
    static = sorted(p.relative_to(root / "ourdl").as_posix() for p in (root / "ourdl/playground/static").iterdir())
    assert {"playground/static/index.html", "playground/static/app.js"} <= set(static)
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in static)
