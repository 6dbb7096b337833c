from blog.app import create_app
from blog.storage import Store
from blog.wsgi_client import call

POST = {"title": "Hello World", "body": "Body", "author": "ann", "tags": ["A", "b"]}


def test_create_returns_201_and_the_post():
    app = create_app(clock=lambda: 1234.9)
    response = call(app, "POST", "/posts", json_body=POST)
    assert response.status == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"id": 1, "slug": "hello-world", "title": "Hello World", "body": "Body", "author": "ann", "tags": ["a", "b"], "created": 1234}


def test_posts_go_into_the_given_store():
    store = Store()
    app = create_app(store=store, clock=lambda: 5)
    call(app, "POST", "/posts", json_body=POST)
    call(app, "POST", "/posts", json_body=POST)
    assert [post["slug"] for post in store.list_posts()] == ["hello-world-2", "hello-world"]


def test_each_app_has_its_own_store_by_default():
    first = create_app(clock=lambda: 1)
    call(first, "POST", "/posts", json_body=POST)
    assert call(create_app(clock=lambda: 1), "GET", "/posts/1").status == 404


def test_fetch():
    app = create_app(clock=lambda: 7)
    call(app, "POST", "/posts", json_body=POST)
    response = call(app, "GET", "/posts/1")
    assert response.status == 200
    assert response.json()["created"] == 7
    assert response.headers["content-type"] == "application/json"
    missing = call(app, "GET", "/posts/2")
    assert (missing.status, missing.json()) == (404, {"error": "not found"})


def test_invalid_json_is_400():
    app = create_app(clock=lambda: 1)
    for raw in (b"{", b"", b"\xff\xfe", b"{'single': 1}"):
        response = call(app, "POST", "/posts", raw_body=raw)
        assert (response.status, response.json()) == (400, {"error": "invalid JSON"})


def test_invalid_post_is_422_with_every_error():
    app = create_app(clock=lambda: 1)
    response = call(app, "POST", "/posts", json_body={"title": " ", "author": "a", "bogus": True})
    assert response.status == 422
    assert set(response.json()["errors"]) == {"title", "body", "bogus"}
    assert call(app, "POST", "/posts", json_body=[1, 2]).json() == {"errors": {"_": "expected a JSON object"}}
    assert call(app, "GET", "/posts/1").status == 404


def test_title_without_letters_is_422_not_a_crash():
    response = call(create_app(clock=lambda: 1), "POST", "/posts", json_body={**POST, "title": "!!!"})
    assert response.status == 422
    assert "title" in response.json()["errors"]


def test_unknown_paths_are_404():
    app = create_app(clock=lambda: 1)
    for path in ("/", "/nothing", "/posts/abc", "/posts/1/2/3/4"):
        response = call(app, "GET", path)
        assert (response.status, response.json()) == (404, {"error": "not found"})


def test_wrong_method_is_405_with_allow():
    app = create_app(clock=lambda: 1)
    response = call(app, "PATCH", "/posts")
    assert (response.status, response.json()) == (405, {"error": "method not allowed"})
    assert "POST" in [method.strip() for method in response.headers["allow"].split(",")]
    single = call(app, "POST", "/posts/1")
    assert single.status == 405
    assert "GET" in [method.strip() for method in single.headers["allow"].split(",")]
