import pytest

from blog.storage import NotFound, Store


def data(title="Hello World", **extra):
    return {"title": title, "body": "Body", "author": "ann", "tags": ["x"], **extra}


def test_create_returns_every_field():
    post = Store().create_post(data(tags=["a", "b"]), created=123)
    assert post == {"id": 1, "slug": "hello-world", "title": "Hello World", "body": "Body", "author": "ann", "tags": ["a", "b"], "created": 123}


def test_ids_count_up_and_are_never_reused():
    store = Store()
    assert [store.create_post(data(f"P {n}"), created=n)["id"] for n in range(3)] == [1, 2, 3]
    store.delete_post(3)
    assert store.create_post(data("again"), created=9)["id"] == 4


def test_slugs_are_unique_among_stored_posts():
    store = Store()
    slugs = [store.create_post(data("Same Title"), created=1)["slug"] for _ in range(3)]
    assert slugs == ["same-title", "same-title-2", "same-title-3"]
    store.delete_post(1)
    assert store.create_post(data("Same Title"), created=1)["slug"] == "same-title"


def test_get_by_id_and_slug():
    store = Store()
    store.create_post(data("First"), created=1)
    second = store.create_post(data("Second"), created=2)
    assert store.get_post(2) == second
    assert store.get_post_by_slug("second") == second
    with pytest.raises(NotFound):
        store.get_post(3)
    with pytest.raises(NotFound):
        store.get_post_by_slug("third")


def test_update_keeps_id_slug_and_created():
    store = Store()
    store.create_post(data("Original"), created=5)
    updated = store.update_post(1, {"title": "Renamed", "body": "New", "author": "bob", "tags": []})
    assert updated == {"id": 1, "slug": "original", "title": "Renamed", "body": "New", "author": "bob", "tags": [], "created": 5}
    assert store.get_post(1) == updated
    with pytest.raises(NotFound):
        store.update_post(2, data())


def test_list_is_newest_first():
    store = Store()
    for n in range(4):
        store.create_post(data(f"P{n}"), created=10 - n)
    assert [post["id"] for post in store.list_posts()] == [4, 3, 2, 1]
    assert Store().list_posts() == []


def test_delete_removes_the_post_and_its_comments_only():
    store = Store()
    store.create_post(data("A"), created=1)
    store.create_post(data("B"), created=1)
    store.add_comment(1, {"author": "x", "body": "on A"}, created=2)
    store.add_comment(2, {"author": "y", "body": "on B"}, created=3)
    store.delete_post(1)
    assert [post["id"] for post in store.list_posts()] == [2]
    assert [comment["body"] for comment in store.list_comments(2)] == ["on B"]
    with pytest.raises(NotFound):
        store.delete_post(1)


def test_comments():
    store = Store()
    store.create_post(data(), created=1)
    store.create_post(data(), created=1)
    first = store.add_comment(2, {"author": "bob", "body": "one"}, created=7)
    assert first == {"id": 1, "post_id": 2, "author": "bob", "body": "one", "created": 7}
    store.add_comment(1, {"author": "cy", "body": "elsewhere"}, created=8)
    store.add_comment(2, {"author": "di", "body": "two"}, created=9)
    assert [(c["id"], c["body"]) for c in store.list_comments(2)] == [(1, "one"), (3, "two")]
    assert store.list_comments(1)[0]["post_id"] == 1
    with pytest.raises(NotFound):
        store.add_comment(5, {"author": "x", "body": "y"}, created=1)
    with pytest.raises(NotFound):
        store.list_comments(5)


def test_copies_everywhere():
    store = Store()
    tags = ["keep"]
    created = store.create_post(data(tags=tags), created=1)
    tags.append("input changed")
    created["tags"].append("output changed")
    store.get_post(1)["tags"].append("get changed")
    store.list_posts()[0]["title"] = "list changed"
    store.get_post_by_slug("hello-world")["body"] = "slug changed"
    post = store.get_post(1)
    assert (post["tags"], post["title"], post["body"]) == (["keep"], "Hello World", "Body")
    store.add_comment(1, {"author": "a", "body": "b"}, created=1)
    store.list_comments(1)[0]["body"] = "changed"
    assert store.list_comments(1)[0]["body"] == "b"


def test_not_found_is_an_exception():
    assert issubclass(NotFound, Exception)
