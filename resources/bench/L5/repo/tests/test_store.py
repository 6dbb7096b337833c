from bookmarks.store import BookmarkStore


def test_add_numbers_bookmarks_from_one():
    store = BookmarkStore()
    assert store.add({"url": "https://a.example"}) == {"id": 1, "url": "https://a.example"}
    assert store.add({"url": "https://b.example"})["id"] == 2


def test_get_and_all():
    store = BookmarkStore()
    store.add({"url": "https://a.example"})
    assert store.get(1) == {"id": 1, "url": "https://a.example"}
    assert store.get(2) is None
    assert [bookmark["id"] for bookmark in store.all()] == [1]
