import json

import pytest

from tracker.cli import main


def run(path, *args):
    return main(["--file", str(path), *args])


def seed(path, tasks):
    path.write_text(json.dumps(tasks))


def saved(path):
    return json.loads(path.read_text())


TASKS = [{"id": 1, "title": "Buy milk", "done": False}, {"id": 2, "title": "Call mum", "done": True}, {"id": 3, "title": "Pay rent", "done": False}]


def test_delete_prints_and_saves(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    assert run(path, "delete", "2") == 0
    assert capsys.readouterr().out == "Deleted task 2: Call mum\n"
    assert [task["id"] for task in saved(path)] == [1, 3]


def test_delete_unknown_id(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    before = path.read_text()
    assert run(path, "delete", "9") == 1
    assert capsys.readouterr().err == "error: no task with id 9\n"
    assert path.read_text() == before


def test_delete_twice(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "delete", "1")
    assert run(path, "delete", "1") == 1
    assert capsys.readouterr().err == "error: no task with id 1\n"


def test_add_after_delete_does_not_reuse_an_existing_id(tmp_path):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "delete", "1")
    run(path, "add", "New")
    ids = [task["id"] for task in saved(path)]
    assert ids == [2, 3, 4]
    assert len(set(ids)) == len(ids)


def test_add_after_deleting_in_the_middle(tmp_path):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "delete", "2")
    run(path, "add", "x")
    run(path, "add", "y")
    assert [task["id"] for task in saved(path)] == [1, 3, 4, 5]


def test_add_to_an_empty_tracker_starts_at_one(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    assert run(path, "add", "first") == 0
    assert capsys.readouterr().out == "Added task 1: first\n"


def test_deleted_task_leaves_the_list(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "delete", "3")
    capsys.readouterr()
    run(path, "list")
    assert capsys.readouterr().out == "[ ] 1 Buy milk\n[x] 2 Call mum\n"
