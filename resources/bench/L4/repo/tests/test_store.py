from tracker.store import load_tasks, save_tasks


def test_missing_file_is_empty(tmp_path):
    assert load_tasks(str(tmp_path / "none.json")) == []


def test_round_trip(tmp_path):
    path = str(tmp_path / "tasks.json")
    save_tasks(path, [{"id": 1, "title": "a", "done": True}])
    assert load_tasks(path) == [{"id": 1, "title": "a", "done": True}]
