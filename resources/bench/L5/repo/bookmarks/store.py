class BookmarkStore:
    """In-memory bookmarks, numbered from 1 in the order they are added."""

    def __init__(self):
        self._bookmarks = {}
        self._next_id = 1

    def add(self, fields):
        bookmark = {"id": self._next_id, **fields}
        self._bookmarks[bookmark["id"]] = bookmark
        self._next_id += 1
        return bookmark

    def get(self, bookmark_id):
        return self._bookmarks.get(bookmark_id)

    def all(self):
        return list(self._bookmarks.values())
