import pytest

from blog.app import create_app
from blog.wsgi_client import call


def app_with(count):
    app = create_app(clock=lambda: 3)
    for number in range(1, count + 1):
        call(app, "POST", "/posts", json_body={"title": f"Post number {number}", "body": "b", "author": "a"})
    return app


def page(app, query=""):
    response = call(app, "GET", f"/posts{query}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_defaults():
    body = page(app_with(23))
    assert set(body) == {"items", "page", "per_page", "total", "pages"}
    assert [post["id"] for post in body["items"]] == list(range(23, 13, -1))
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 10, 23, 3)


def test_items_are_whole_posts():
    item = page(app_with(1))["items"][0]
    assert item == {"id": 1, "slug": "post-number-1", "title": "Post number 1", "body": "b", "author": "a", "tags": [], "created": 3}


def test_last_partial_page_and_past_the_end():
    app = app_with(23)
    assert [post["id"] for post in page(app, "?page=3")["items"]] == [3, 2, 1]
    beyond = page(app, "?page=4")
    assert (beyond["items"], beyond["page"], beyond["total"], beyond["pages"]) == ([], 4, 23, 3)


def test_per_page():
    app = app_with(23)
    body = page(app, "?per_page=7&page=2")
    assert [post["id"] for post in body["items"]] == list(range(16, 9, -1))
    assert (body["per_page"], body["pages"]) == (7, 4)
    assert page(app, "?per_page=1")["pages"] == 23
    assert page(app, "?per_page=23")["pages"] == 1


def test_per_page_is_capped_at_fifty():
    app = app_with(60)
    body = page(app, "?per_page=51")
    assert (body["per_page"], len(body["items"]), body["pages"]) == (50, 50, 2)
    assert page(app, "?per_page=50")["per_page"] == 50


def test_empty_blog():
    body = page(create_app(clock=lambda: 1))
    assert (body["items"], body["total"], body["page"], body["per_page"]) == ([], 0, 1, 10)
    assert body["pages"] in (0, 1)


@pytest.mark.parametrize("query", ["?page=0", "?page=-1", "?page=abc", "?page=1.5", "?per_page=0", "?per_page=x", "?per_page=-5"])
def test_bad_numbers_are_400(query):
    response = call(app_with(2), "GET", f"/posts{query}")
    assert response.status == 400
    assert isinstance(response.json()["error"], str)


def test_deleted_posts_are_not_listed():
    app = app_with(3)
    call(app, "DELETE", "/posts/2")
    body = page(app)
    assert ([post["id"] for post in body["items"]], body["total"]) == ([3, 1], 2)
