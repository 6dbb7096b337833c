import json

import pytest

from tracker.cli import main


def run(path, *args):
    return main(["--file", str(path), *args])


def seed(path, tasks):
    path.write_text(json.dumps(tasks))


def saved(path):
    return json.loads(path.read_text())


TASKS = [{"id": 1, "title": "Buy milk", "done": False}, {"id": 2, "title": "Call mum", "done": False}]


def test_complete_prints_and_saves(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    assert run(path, "complete", "1") == 0
    assert capsys.readouterr().out == "Completed task 1: Buy milk\n"
    assert saved(path) == [{"id": 1, "title": "Buy milk", "done": True}, {"id": 2, "title": "Call mum", "done": False}]


def test_complete_twice_is_fine(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "complete", "2")
    assert run(path, "complete", "2") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Completed task 2: Call mum"
    assert saved(path)[1]["done"] is True


def test_unknown_id_is_an_error(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    before = path.read_text()
    assert run(path, "complete", "7") == 1
    captured = capsys.readouterr()
    assert captured.err == "error: no task with id 7\n"
    assert captured.out == ""
    assert path.read_text() == before


def test_unknown_id_in_an_empty_tracker(tmp_path, capsys):
    assert run(tmp_path / "tasks.json", "complete", "1") == 1
    assert capsys.readouterr().err == "error: no task with id 1\n"


def test_non_numeric_id_is_a_usage_error(tmp_path):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    with pytest.raises(SystemExit) as exit_info:
        run(path, "complete", "one")
    assert exit_info.value.code == 2


def test_completed_task_shows_in_the_list(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "complete", "2")
    capsys.readouterr()
    run(path, "list")
    assert capsys.readouterr().out == "[ ] 1 Buy milk\n[x] 2 Call mum\n"
