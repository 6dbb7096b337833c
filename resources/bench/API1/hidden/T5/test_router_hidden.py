import pytest

from blog.router import MethodNotAllowed, NotFound, Router


def h1():
    return 1


def h2():
    return 2


def h3():
    return 3


def make():
    router = Router()
    router.add("GET", "/posts", h1)
    router.add("POST", "/posts", h2)
    router.add("GET", "/posts/<int:post_id>", h3)
    router.add("GET", "/posts/<int:post_id>/comments/<int:comment_id>", h1)
    router.add("GET", "/users/<name>/posts", h2)
    return router


def test_static_routes_by_method():
    router = make()
    assert router.resolve("GET", "/posts") == (h1, {})
    assert router.resolve("POST", "/posts") == (h2, {})


def test_slashes_at_either_end_do_not_matter():
    router = make()
    assert router.resolve("GET", "/posts/") == (h1, {})
    assert router.resolve("GET", "posts") == (h1, {})
    assert router.resolve("GET", "/posts/5/") == (h3, {"post_id": 5})


def test_int_params_are_ints():
    handler, params = make().resolve("GET", "/posts/007/comments/12")
    assert handler is h1
    assert params == {"post_id": 7, "comment_id": 12}
    assert all(type(value) is int for value in params.values())


def test_text_params():
    assert make().resolve("GET", "/users/ann-b/posts") == (h2, {"name": "ann-b"})


@pytest.mark.parametrize("path", ["/posts/abc", "/posts/-1", "/posts/1.5", "/posts/1/comments", "/users//posts", "/", "/post", "/posts/1/extra/more/x"])
def test_not_found(path):
    with pytest.raises(NotFound):
        make().resolve("GET", path)


def test_method_not_allowed_lists_sorted_methods():
    router = make()
    with pytest.raises(MethodNotAllowed) as raised:
        router.resolve("DELETE", "/posts")
    assert raised.value.allowed == ["GET", "POST"]
    with pytest.raises(MethodNotAllowed) as raised:
        router.resolve("PUT", "/posts/3")
    assert raised.value.allowed == ["GET"]


def test_unknown_path_is_not_found_whatever_the_method():
    with pytest.raises(NotFound):
        make().resolve("DELETE", "/nothing")


def test_first_matching_route_wins():
    router = Router()
    router.add("GET", "/items/<int:item_id>", h1)
    router.add("GET", "/items/<name>", h2)
    router.add("GET", "/items/<int:other>", h3)
    assert router.resolve("GET", "/items/4") == (h1, {"item_id": 4})
    assert router.resolve("GET", "/items/four") == (h2, {"name": "four"})


def test_routers_are_independent():
    first = Router()
    first.add("GET", "/a", h1)
    second = Router()
    with pytest.raises(NotFound):
        second.resolve("GET", "/a")


def test_exceptions_are_exceptions():
    assert issubclass(NotFound, Exception)
    assert issubclass(MethodNotAllowed, Exception)
