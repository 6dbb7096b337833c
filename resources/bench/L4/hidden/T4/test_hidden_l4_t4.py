import json

import pytest

from tracker.cli import main


def run(path, *args):
    return main(["--file", str(path), *args])


def seed(path, tasks):
    path.write_text(json.dumps(tasks))


def saved(path):
    return json.loads(path.read_text())


TASKS = [{"id": 3, "title": "Pay rent", "done": True}, {"id": 1, "title": "Buy milk", "done": False}, {"id": 2, "title": "Call mum", "done": True}]


def test_done_only_in_id_order(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    assert run(path, "list", "--done") == 0
    assert capsys.readouterr().out == "[x] 2 Call mum\n[x] 3 Pay rent\n"


def test_pending_only(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    assert run(path, "list", "--pending") == 0
    assert capsys.readouterr().out == "[ ] 1 Buy milk\n"


def test_no_filter_lists_everything(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    run(path, "list")
    assert capsys.readouterr().out == "[ ] 1 Buy milk\n[x] 2 Call mum\n[x] 3 Pay rent\n"


def test_nothing_done(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    seed(path, [{"id": 1, "title": "a", "done": False}])
    assert run(path, "list", "--done") == 0
    assert capsys.readouterr().out == "No tasks.\n"


def test_nothing_pending_without_a_file(tmp_path, capsys):
    assert run(tmp_path / "none.json", "list", "--pending") == 0
    assert capsys.readouterr().out == "No tasks.\n"


def test_both_filters_are_a_usage_error(tmp_path):
    path = tmp_path / "tasks.json"
    seed(path, TASKS)
    with pytest.raises(SystemExit) as exit_info:
        run(path, "list", "--pending", "--done")
    assert exit_info.value.code == 2
