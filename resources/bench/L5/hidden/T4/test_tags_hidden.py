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


def test_filter_by_tag(client):
    add(client, "https://a.example", tags=["python", "web"])
    add(client, "https://b.example", tags=["rust"])
    add(client, "https://c.example", tags=["python"])
    response = client.get("/bookmarks?tag=python")
    assert response.status_code == 200
    assert [bookmark["id"] for bookmark in response.get_json()["bookmarks"]] == [1, 3]


def test_filter_is_case_insensitive_and_trims(client):
    add(client, "https://a.example", tags=["web-dev"])
    assert [bookmark["id"] for bookmark in client.get("/bookmarks?tag=%20Web-Dev%20").get_json()["bookmarks"]] == [1]


def test_filter_matches_whole_tags_only(client):
    add(client, "https://a.example", tags=["python3"])
    assert client.get("/bookmarks?tag=python").get_json() == {"bookmarks": []}


def test_without_a_tag_the_list_is_unfiltered(client):
    add(client, "https://a.example", tags=["x"])
    add(client, "https://b.example")
    assert len(client.get("/bookmarks").get_json()["bookmarks"]) == 2


def test_tags_are_counted_most_used_first_then_by_name(client):
    add(client, "https://a.example", tags=["web", "python", "api"])
    add(client, "https://b.example", tags=["python", "web"])
    add(client, "https://c.example", tags=["python", "zen"])
    response = client.get("/tags")
    assert response.status_code == 200
    assert response.get_json() == {
        "tags": [
            {"name": "python", "count": 3},
            {"name": "web", "count": 2},
            {"name": "api", "count": 1},
            {"name": "zen", "count": 1},
        ]
    }


def test_no_bookmarks_no_tags(client):
    add(client, "https://a.example")
    assert client.get("/tags").get_json() == {"tags": []}


def test_tags_follow_updates_and_deletes(client):
    add(client, "https://a.example", tags=["old"])
    add(client, "https://b.example", tags=["old"])
    client.patch("/bookmarks/1", json={"tags": ["new"]})
    client.delete("/bookmarks/2")
    assert client.get("/tags").get_json() == {"tags": [{"name": "new", "count": 1}]}
    assert [bookmark["id"] for bookmark in client.get("/bookmarks?tag=new").get_json()["bookmarks"]] == [1]
