import json

import pytest

from tracker.cli import main


def run(path, *args):
    return main(["--file", str(path), *args])


def seed(path, tasks):
    path.write_text(json.dumps(tasks))


def saved(path):
    return json.loads(path.read_text())


COMMANDS = [["list"], ["list", "--done"], ["add", "x"], ["complete", "1"], ["delete", "1"]]


@pytest.mark.parametrize("args", COMMANDS)
def test_invalid_json_is_reported(tmp_path, capsys, args):
    path = tmp_path / "tasks.json"
    path.write_text("{broken")
    assert run(path, *args) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: {path}")
    assert captured.out == ""
    assert path.read_text() == "{broken"


@pytest.mark.parametrize("args", COMMANDS)
def test_a_file_without_a_list_is_reported(tmp_path, capsys, args):
    path = tmp_path / "tasks.json"
    path.write_text('{"id": 1}')
    assert run(path, *args) == 1
    assert capsys.readouterr().err.startswith("error: ")
    assert path.read_text() == '{"id": 1}'


def test_good_file_still_works(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, [{"id": 1, "title": "a", "done": False}])
    assert run(path, "complete", "1") == 0
    assert saved(path)[0]["done"] is True
