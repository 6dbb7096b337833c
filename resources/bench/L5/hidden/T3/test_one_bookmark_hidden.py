import pytest

from bookmarks import create_app


@pytest.fixture
def app():
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


def add(client, url, **fields):
    response = client.post("/bookmarks", json={"url": url, **fields})
    assert response.status_code == 201
    return response.get_json()


def test_get_one_bookmark(client):
    add(client, "https://a.example")
    add(client, "https://b.example", title="B", tags=["x"])
    response = client.get("/bookmarks/2")
    assert response.status_code == 200
    assert response.get_json() == {"id": 2, "url": "https://b.example", "title": "B", "tags": ["x"]}


def test_patch_updates_only_given_fields_and_is_persisted(client):
    add(client, "https://a.example", title="A", tags=["old"])
    response = client.patch("/bookmarks/1", json={"tags": ["New", "new", "other"]})
    assert response.status_code == 200
    assert response.get_json() == {"id": 1, "url": "https://a.example", "title": "A", "tags": ["new", "other"]}
    assert client.get("/bookmarks/1").get_json() == {"id": 1, "url": "https://a.example", "title": "A", "tags": ["new", "other"]}
    assert client.get("/bookmarks").get_json()["bookmarks"][0]["tags"] == ["new", "other"]


def test_patch_can_change_the_url(client):
    add(client, "https://a.example")
    response = client.patch("/bookmarks/1", json={"url": "https://moved.example"})
    assert response.status_code == 200
    assert response.get_json()["url"] == "https://moved.example"


def test_patch_keeping_its_own_url_is_not_a_conflict(client):
    add(client, "https://a.example")
    response = client.patch("/bookmarks/1", json={"url": "https://a.example", "title": "Same"})
    assert response.status_code == 200
    assert response.get_json()["title"] == "Same"


def test_patch_refuses_invalid_fields_without_changing_anything(client):
    add(client, "https://a.example", title="A")
    response = client.patch("/bookmarks/1", json={"title": "", "id": 5})
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid bookmark", "fields": {"title": "must not be blank", "id": "unknown field"}}
    assert client.get("/bookmarks/1").get_json()["title"] == "A"


def test_patch_needs_a_json_object(client):
    add(client, "https://a.example")
    response = client.patch("/bookmarks/1", json=["title"])
    assert response.status_code == 400
    assert response.get_json() == {"error": "expected a JSON object"}


def test_patch_to_a_url_another_bookmark_has_is_409(client):
    add(client, "https://a.example")
    add(client, "https://b.example")
    response = client.patch("/bookmarks/2", json={"url": "https://a.example"})
    assert response.status_code == 409
    assert response.get_json() == {"error": "bookmark already exists", "id": 1}
    assert client.get("/bookmarks/2").get_json()["url"] == "https://b.example"


def test_delete_answers_204_and_the_bookmark_is_gone(client):
    add(client, "https://a.example")
    add(client, "https://b.example")
    response = client.delete("/bookmarks/1")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert [bookmark["id"] for bookmark in client.get("/bookmarks").get_json()["bookmarks"]] == [2]
    assert client.delete("/bookmarks/1").status_code == 404


def test_ids_are_not_reused_after_a_delete(client):
    add(client, "https://a.example")
    client.delete("/bookmarks/1")
    assert add(client, "https://b.example")["id"] == 2


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_missing_bookmarks_are_json_404s(client, method):
    response = getattr(client, method)("/bookmarks/42", json={"title": "x"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "bookmark not found"}
