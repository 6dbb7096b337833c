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


@pytest.mark.parametrize("path", ["/nowhere", "/bookmarks/abc", "/tags/python"])
def test_unknown_routes_are_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json() == {"error": "not found"}


@pytest.mark.parametrize("method, path", [("put", "/bookmarks"), ("delete", "/bookmarks"), ("post", "/bookmarks/1"), ("post", "/health")])
def test_wrong_methods_are_json_405s(client, method, path):
    add(client, "https://a.example")
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response.get_json() == {"error": "method not allowed"}


def test_an_unexpected_error_is_a_json_500_without_details(app):
    @app.get("/explode")
    def explode():
        raise KeyError("secret internals")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert response.get_json() == {"error": "internal server error"}
    assert b"secret internals" not in response.get_data()


def test_route_errors_keep_their_own_bodies(client):
    assert client.get("/bookmarks/9").get_json() == {"error": "bookmark not found"}
    assert client.post("/bookmarks", json={}).get_json() == {"error": "invalid bookmark", "fields": {"url": "is required"}}
    add(client, "https://a.example")
    assert client.post("/bookmarks", json={"url": "https://a.example"}).status_code == 409


def test_successful_routes_are_unchanged(client):
    assert client.get("/health").get_json() == {"status": "ok"}
    assert add(client, "https://a.example")["id"] == 1
