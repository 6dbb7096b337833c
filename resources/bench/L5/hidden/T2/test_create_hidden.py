import pytest

from bookmarks import create_app


@pytest.fixture
def app():
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


def test_create_answers_201_with_the_stored_bookmark(client):
    response = client.post("/bookmarks", json={"url": " https://flask.palletsprojects.com/ ", "title": " Flask ", "tags": ["Python", "WEB", "python"]})
    assert response.status_code == 201
    assert response.is_json
    assert response.get_json() == {"id": 1, "url": "https://flask.palletsprojects.com/", "title": "Flask", "tags": ["python", "web"]}


def test_ids_count_from_one_and_the_list_keeps_order(client):
    first = client.post("/bookmarks", json={"url": "https://one.example"}).get_json()
    second = client.post("/bookmarks", json={"url": "https://two.example", "title": "Two"}).get_json()
    assert (first["id"], second["id"]) == (1, 2)
    response = client.get("/bookmarks")
    assert response.status_code == 200
    assert response.get_json() == {
        "bookmarks": [
            {"id": 1, "url": "https://one.example", "title": "https://one.example", "tags": []},
            {"id": 2, "url": "https://two.example", "title": "Two", "tags": []},
        ]
    }


def test_an_empty_list_is_an_empty_array(client):
    assert client.get("/bookmarks").get_json() == {"bookmarks": []}


def test_invalid_bookmarks_answer_400_with_every_field(client):
    response = client.post("/bookmarks", json={"title": "", "tags": "x", "extra": 1})
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "invalid bookmark",
        "fields": {"url": "is required", "title": "must not be blank", "tags": "must be a list of strings", "extra": "unknown field"},
    }
    assert client.get("/bookmarks").get_json() == {"bookmarks": []}


@pytest.mark.parametrize("kwargs", [{"data": "not json", "content_type": "application/json"}, {"json": ["https://a.example"]}, {"json": "https://a.example"}, {"data": "url=https://a.example"}])
def test_a_body_that_is_not_a_json_object_is_a_400(client, kwargs):
    response = client.post("/bookmarks", **kwargs)
    assert response.status_code == 400
    assert response.get_json() == {"error": "expected a JSON object"}


def test_duplicate_urls_are_409_naming_the_existing_bookmark(client):
    client.post("/bookmarks", json={"url": "https://a.example"})
    client.post("/bookmarks", json={"url": "https://b.example"})
    response = client.post("/bookmarks", json={"url": " https://b.example ", "title": "again"})
    assert response.status_code == 409
    assert response.get_json() == {"error": "bookmark already exists", "id": 2}
    assert len(client.get("/bookmarks").get_json()["bookmarks"]) == 2


def test_each_app_has_its_own_store():
    first, second = create_app(), create_app()
    first.test_client().post("/bookmarks", json={"url": "https://a.example"})
    assert second.test_client().get("/bookmarks").get_json() == {"bookmarks": []}
