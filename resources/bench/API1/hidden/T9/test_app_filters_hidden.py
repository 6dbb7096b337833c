from blog.app import create_app
from blog.wsgi_client import call

POSTS = [
    {"title": "Intro to Python", "body": "Lists and dicts", "author": "ann", "tags": ["python", "beginner"]},
    {"title": "Gardening", "body": "Tomatoes grow in summer", "author": "bob", "tags": ["garden"]},
    {"title": "Advanced decorators", "body": "More PYTHON magic", "author": "bob", "tags": ["Python", "advanced"]},
    {"title": "Summer", "body": "Holidays", "author": "Ann", "tags": []},
    {"title": "Python packaging", "body": "wheels", "author": "cy", "tags": ["python"]},
]


def make():
    app = create_app(clock=lambda: 1)
    for post in POSTS:
        call(app, "POST", "/posts", json_body=post)
    return app


def listing(app, query):
    response = call(app, "GET", f"/posts?{query}")
    assert response.status == 200
    return response.json()


def ids(app, query):
    return [post["id"] for post in listing(app, query)["items"]]


def test_tag_is_case_insensitive():
    app = make()
    assert ids(app, "tag=python") == [5, 3, 1]
    assert ids(app, "tag=PYTHON") == [5, 3, 1]
    assert ids(app, "tag=garden") == [2]
    assert ids(app, "tag=gard") == []


def test_author_is_exact():
    app = make()
    assert ids(app, "author=ann") == [1]
    assert ids(app, "author=Ann") == [4]
    assert ids(app, "author=an") == []


def test_q_searches_title_and_body_case_insensitively():
    app = make()
    assert ids(app, "q=python") == [5, 3, 1]
    assert ids(app, "q=SUMMER") == [4, 2]
    assert ids(app, "q=magic") == [3]
    assert ids(app, "q=nothing-like-this") == []


def test_query_values_are_url_decoded():
    app = make()
    assert ids(app, "q=intro%20to") == [1]
    assert ids(app, "q=intro+to") == [1]


def test_filters_combine():
    app = make()
    assert ids(app, "tag=python&author=bob") == [3]
    assert ids(app, "q=summer&author=bob") == [2]
    assert ids(app, "tag=python&q=packaging&author=cy") == [5]
    assert ids(app, "tag=garden&author=ann") == []


def test_counts_are_of_the_filtered_posts():
    body = listing(make(), "tag=python&per_page=2")
    assert ([post["id"] for post in body["items"]], body["total"], body["pages"]) == ([5, 3], 3, 2)
    second = listing(make(), "tag=python&per_page=2&page=2")
    assert [post["id"] for post in second["items"]] == [1]


def test_no_filters_lists_everything_and_empty_filters_are_ignored():
    app = make()
    assert ids(app, "") == [5, 4, 3, 2, 1]
    assert ids(app, "tag=&author=&q=") == [5, 4, 3, 2, 1]


def test_bad_pages_are_still_400_with_filters():
    assert call(make(), "GET", "/posts?tag=python&page=0").status == 400
