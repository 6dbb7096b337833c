import json

import pytest

from tracker.cli import main


def run(path, *args):
    return main(["--file", str(path), *args])


def seed(path, tasks):
    path.write_text(json.dumps(tasks))


def saved(path):
    return json.loads(path.read_text())


def test_no_file_prints_no_tasks(tmp_path, capsys):
    assert run(tmp_path / "none.json", "list") == 0
    assert capsys.readouterr().out == "No tasks.\n"


def test_empty_list_prints_no_tasks(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, [])
    assert run(path, "list") == 0
    assert capsys.readouterr().out == "No tasks.\n"


def test_format_of_pending_and_done(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, [{"id": 1, "title": "Buy milk", "done": False}, {"id": 2, "title": "Call mum", "done": True}])
    run(path, "list")
    assert capsys.readouterr().out.splitlines() == ["[ ] 1 Buy milk", "[x] 2 Call mum"]


def test_sorted_by_id(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, [{"id": 10, "title": "ten", "done": False}, {"id": 2, "title": "two", "done": False}, {"id": 7, "title": "seven", "done": True}])
    run(path, "list")
    assert capsys.readouterr().out.splitlines() == ["[ ] 2 two", "[x] 7 seven", "[ ] 10 ten"]


def test_added_tasks_are_listed(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    run(path, "add", "Write the report")
    run(path, "add", "Water plants")
    capsys.readouterr()
    run(path, "list")
    assert capsys.readouterr().out == "[ ] 1 Write the report\n[ ] 2 Water plants\n"


def test_list_does_not_change_the_file(tmp_path):
    path = tmp_path / "tasks.json"
    seed(path, [{"id": 2, "title": "b", "done": False}, {"id": 1, "title": "a", "done": False}])
    before = path.read_text()
    run(path, "list")
    assert path.read_text() == before


def test_list_does_not_create_a_file(tmp_path):
    run(tmp_path / "none.json", "list")
    assert not (tmp_path / "none.json").exists()
