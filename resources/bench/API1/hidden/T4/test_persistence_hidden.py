import json
import os

from blog.persistence import load_store, save_store
from blog.storage import Store


def filled():
    store = Store()
    store.create_post({"title": "One", "body": "b1", "author": "ann", "tags": ["a"]}, created=1)
    store.create_post({"title": "Two", "body": "b2", "author": "bob", "tags": []}, created=2)
    store.create_post({"title": "Three", "body": "b3", "author": "cy", "tags": ["c", "d"]}, created=3)
    store.add_comment(1, {"author": "x", "body": "c1"}, created=4)
    store.add_comment(3, {"author": "y", "body": "c2"}, created=5)
    store.add_comment(3, {"author": "z", "body": "c3"}, created=6)
    store.delete_post(3)
    return store


def test_round_trip(tmp_path):
    store = filled()
    path = str(tmp_path / "blog.json")
    save_store(store, path)
    loaded = load_store(path)
    assert isinstance(loaded, Store)
    assert loaded.list_posts() == store.list_posts()
    assert loaded.list_comments(1) == store.list_comments(1)
    assert loaded.get_post_by_slug("two")["id"] == 2


def test_next_ids_continue_after_deleted_ones(tmp_path):
    path = str(tmp_path / "blog.json")
    save_store(filled(), path)
    loaded = load_store(path)
    assert loaded.create_post({"title": "Four", "body": "b", "author": "a", "tags": []}, created=7)["id"] == 4
    assert loaded.add_comment(1, {"author": "a", "body": "b"}, created=8)["id"] == 4


def test_the_file_is_json(tmp_path):
    path = tmp_path / "blog.json"
    save_store(filled(), str(path))
    json.loads(path.read_text(encoding="utf-8"))


def test_saving_again_replaces_the_file(tmp_path):
    path = str(tmp_path / "blog.json")
    save_store(filled(), path)
    save_store(Store(), path)
    assert load_store(path).list_posts() == []
    assert sorted(os.listdir(tmp_path)) == ["blog.json"]


def test_missing_file_gives_an_empty_store_that_works(tmp_path):
    store = load_store(str(tmp_path / "missing.json"))
    assert store.list_posts() == []
    assert store.create_post({"title": "T", "body": "b", "author": "a", "tags": []}, created=1)["id"] == 1
    assert not (tmp_path / "missing.json").exists()


def test_loaded_store_is_independent_of_the_saved_one(tmp_path):
    store = filled()
    path = str(tmp_path / "blog.json")
    save_store(store, path)
    loaded = load_store(path)
    store.delete_post(1)
    assert [post["id"] for post in loaded.list_posts()] == [2, 1]
