import json

from tracker.cli import main


def test_add_saves_the_task(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    assert main(["--file", str(path), "add", "Buy milk"]) == 0
    assert capsys.readouterr().out == "Added task 1: Buy milk\n"
    assert json.loads(path.read_text()) == [{"id": 1, "title": "Buy milk", "done": False}]


def test_add_numbers_tasks(tmp_path, capsys):
    path = tmp_path / "tasks.json"
    main(["--file", str(path), "add", "Buy milk"])
    main(["--file", str(path), "add", "Call mum"])
    assert [task["id"] for task in json.loads(path.read_text())] == [1, 2]
