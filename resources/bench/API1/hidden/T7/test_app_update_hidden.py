from blog.app import create_app
from blog.wsgi_client import call

POST = {"title": "Hello", "body": "Body", "author": "ann", "tags": ["a"]}


def make():
    app = create_app(clock=lambda: 11)
    call(app, "POST", "/posts", json_body=POST)
    call(app, "POST", "/posts", json_body={**POST, "title": "Other"})
    return app


def test_put_replaces_fields_and_keeps_id_slug_created():
    app = make()
    response = call(app, "PUT", "/posts/1", json_body={"title": " New title ", "body": "New", "author": "bob", "tags": ["X", "x"]})
    assert response.status == 200
    expected = {"id": 1, "slug": "hello", "title": "New title", "body": "New", "author": "bob", "tags": ["x"], "created": 11}
    assert response.json() == expected
    assert call(app, "GET", "/posts/1").json() == expected
    assert call(app, "GET", "/posts/2").json()["title"] == "Other"


def test_put_without_tags_clears_them():
    app = make()
    assert call(app, "PUT", "/posts/1", json_body={"title": "T", "body": "B", "author": "a"}).json()["tags"] == []


def test_put_validates_and_changes_nothing_when_invalid():
    app = make()
    response = call(app, "PUT", "/posts/1", json_body={"title": "T", "body": "", "author": "a", "extra": 1})
    assert response.status == 422
    assert set(response.json()["errors"]) == {"body", "extra"}
    assert call(app, "PUT", "/posts/1", raw_body=b"nope").status == 400
    assert call(app, "GET", "/posts/1").json()["title"] == "Hello"


def test_put_on_a_missing_post_is_404():
    response = call(make(), "PUT", "/posts/9", json_body=POST)
    assert (response.status, response.json()) == (404, {"error": "not found"})


def test_delete():
    app = make()
    response = call(app, "DELETE", "/posts/1")
    assert response.status == 204
    assert response.body == b""
    assert call(app, "GET", "/posts/1").status == 404
    assert call(app, "GET", "/posts/2").status == 200
    again = call(app, "DELETE", "/posts/1")
    assert (again.status, again.json()) == (404, {"error": "not found"})


def test_allow_lists_every_method_of_a_post():
    response = call(make(), "PATCH", "/posts/1")
    assert response.status == 405
    assert {method.strip() for method in response.headers["allow"].split(",")} == {"GET", "PUT", "DELETE"}
