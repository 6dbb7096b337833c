from blog.app import create_app
from blog.wsgi_client import call


def make():
    app = create_app(clock=lambda: 2)
    call(app, "POST", "/posts", json_body={"title": "Hello, World!", "body": "first", "author": "ann"})
    call(app, "POST", "/posts", json_body={"title": "hello world", "body": "second", "author": "bob"})
    call(app, "POST", "/posts", json_body={"title": "Other 42", "body": "third", "author": "cy"})
    return app


def test_fetch_by_slug():
    app = make()
    response = call(app, "GET", "/posts/by-slug/hello-world")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == call(app, "GET", "/posts/1").json()
    assert call(app, "GET", "/posts/by-slug/hello-world-2").json()["body"] == "second"
    assert call(app, "GET", "/posts/by-slug/other-42").json()["id"] == 3


def test_unknown_slug():
    for slug in ("nothing", "hello", "hello-world-3", "HELLO-WORLD"):
        response = call(make(), "GET", f"/posts/by-slug/{slug}")
        assert (response.status, response.json()) == (404, {"error": "not found"})


def test_slug_follows_updates_and_deletes():
    app = make()
    call(app, "PUT", "/posts/1", json_body={"title": "Renamed", "body": "b", "author": "ann"})
    assert call(app, "GET", "/posts/by-slug/hello-world").json()["title"] == "Renamed"
    call(app, "DELETE", "/posts/1")
    assert call(app, "GET", "/posts/by-slug/hello-world").status == 404


def test_ids_still_work_next_to_slugs():
    app = make()
    assert call(app, "GET", "/posts/2").json()["slug"] == "hello-world-2"
    assert call(app, "GET", "/posts/by-slug").status == 404


def test_wrong_method_is_405():
    assert call(make(), "DELETE", "/posts/by-slug/hello-world").status == 405
