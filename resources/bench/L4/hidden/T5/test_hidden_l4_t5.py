import json
import os

import pytest

from tracker import store
from tracker.store import StoreError, load_tasks, save_tasks


def test_store_error_is_an_exception():
    assert issubclass(StoreError, Exception)


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2", "null", '{"tasks": []}', '"text"', "42"])
def test_broken_or_wrong_content_raises(tmp_path, content):
    path = tmp_path / "tasks.json"
    path.write_text(content)
    with pytest.raises(StoreError) as error:
        load_tasks(str(path))
    assert str(error.value).startswith(str(path))


def test_valid_list_still_loads(tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text('[{"id": 1, "title": "a", "done": false}]')
    assert load_tasks(str(path)) == [{"id": 1, "title": "a", "done": False}]


def test_missing_file_is_still_empty(tmp_path):
    assert load_tasks(str(tmp_path / "none.json")) == []


def test_save_uses_os_replace_from_the_same_folder(tmp_path, monkeypatch):
    moves = []
    real_replace = os.replace

    def spy(source, target):
        moves.append((os.path.dirname(os.path.abspath(source)), os.fspath(target)))
        real_replace(source, target)

    monkeypatch.setattr(store.os, "replace", spy)
    path = str(tmp_path / "tasks.json")
    save_tasks(path, [])
    assert len(moves) == 1
    assert moves[0] == (str(tmp_path), path)


def test_no_temporary_file_remains(tmp_path):
    path = str(tmp_path / "tasks.json")
    save_tasks(path, [{"id": 1, "title": "a", "done": False}])
    save_tasks(path, [{"id": 1, "title": "b", "done": True}])
    assert os.listdir(tmp_path) == ["tasks.json"]
    assert load_tasks(path) == [{"id": 1, "title": "b", "done": True}]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = str(tmp_path / "tasks.json")
    save_tasks(path, [{"id": 1, "title": "kept", "done": False}])
    with pytest.raises(TypeError):
        save_tasks(path, [{"id": 2, "title": object(), "done": False}])
    assert load_tasks(path) == [{"id": 1, "title": "kept", "done": False}]
    assert os.listdir(tmp_path) == ["tasks.json"]
