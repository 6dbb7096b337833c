from blog.app import create_app
from blog.wsgi_client import call


def make():
    ticks = iter(range(1000, 2000))
    app = create_app(clock=lambda: next(ticks))
    call(app, "POST", "/posts", json_body={"title": "A", "body": "a", "author": "ann"})
    call(app, "POST", "/posts", json_body={"title": "B", "body": "b", "author": "bob"})
    return app


def test_add_returns_201_and_the_comment():
    app = make()
    response = call(app, "POST", "/posts/2/comments", json_body={"author": " cy ", "body": " Great post "})
    assert response.status == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"id": 1, "post_id": 2, "author": "cy", "body": "Great post", "created": 1002}


def test_list_is_oldest_first_and_per_post():
    app = make()
    call(app, "POST", "/posts/1/comments", json_body={"author": "x", "body": "one"})
    call(app, "POST", "/posts/2/comments", json_body={"author": "y", "body": "elsewhere"})
    call(app, "POST", "/posts/1/comments", json_body={"author": "z", "body": "two"})
    response = call(app, "GET", "/posts/1/comments")
    assert response.status == 200
    assert [(c["id"], c["body"]) for c in response.json()["items"]] == [(1, "one"), (3, "two")]
    assert call(app, "GET", "/posts/2/comments").json()["items"][0]["body"] == "elsewhere"


def test_a_post_without_comments_has_an_empty_list():
    assert call(make(), "GET", "/posts/1/comments").json() == {"items": []}


def test_missing_post_is_404_for_both():
    app = make()
    added = call(app, "POST", "/posts/3/comments", json_body={"author": "x", "body": "y"})
    assert (added.status, added.json()) == (404, {"error": "not found"})
    assert call(app, "GET", "/posts/3/comments").status == 404


def test_invalid_comments():
    app = make()
    response = call(app, "POST", "/posts/1/comments", json_body={"author": "", "body": "x" * 501, "title": "no"})
    assert response.status == 422
    assert set(response.json()["errors"]) == {"author", "body", "title"}
    assert call(app, "POST", "/posts/1/comments", raw_body=b"[").status == 400
    assert call(app, "GET", "/posts/1/comments").json() == {"items": []}


def test_deleting_a_post_deletes_its_comments():
    app = make()
    call(app, "POST", "/posts/1/comments", json_body={"author": "x", "body": "y"})
    call(app, "DELETE", "/posts/1")
    assert call(app, "GET", "/posts/1/comments").status == 404


def test_wrong_method_on_comments_is_405():
    response = call(make(), "DELETE", "/posts/1/comments")
    assert response.status == 405
    assert {method.strip() for method in response.headers["allow"].split(",")} == {"GET", "POST"}
