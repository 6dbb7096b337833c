import pytest

from bookmarks.validation import ValidationError, validate_bookmark


def errors_of(data, partial=False):
    with pytest.raises(ValidationError) as refused:
        validate_bookmark(data, partial=partial)
    return refused.value.errors


def test_cleans_url_title_and_tags():
    assert validate_bookmark({"url": "  https://docs.python.org/3/  ", "title": "  Python docs ", "tags": [" Docs", "PYTHON", "docs"]}) == {
        "url": "https://docs.python.org/3/",
        "title": "Python docs",
        "tags": ["docs", "python"],
    }


def test_defaults_title_to_url_and_tags_to_empty_list():
    assert validate_bookmark({"url": "https://example.org/page"}) == {"url": "https://example.org/page", "title": "https://example.org/page", "tags": []}


@pytest.mark.parametrize("url", ["example.com", "ftp://example.com", "https://", "mailto:me@example.com", "", "   "])
def test_refuses_urls_that_are_not_http_or_https(url):
    assert errors_of({"url": url}) == {"url": "must be an http or https URL"}


@pytest.mark.parametrize("url", [42, None, ["https://a.example"]])
def test_refuses_a_url_that_is_not_a_string(url):
    assert errors_of({"url": url}) == {"url": "must be a string"}


def test_url_is_required_unless_partial():
    assert errors_of({}) == {"url": "is required"}
    assert errors_of({"title": "t"}) == {"url": "is required"}
    assert validate_bookmark({}, partial=True) == {}


def test_title_rules():
    assert errors_of({"url": "https://a.example", "title": "   "}) == {"title": "must not be blank"}
    assert errors_of({"url": "https://a.example", "title": 7}) == {"title": "must be a string"}
    assert errors_of({"url": "https://a.example", "title": "t" * 201}) == {"title": "must be at most 200 characters"}
    assert validate_bookmark({"url": "https://a.example", "title": "t" * 200})["title"] == "t" * 200


def test_tag_rules():
    assert errors_of({"url": "https://a.example", "tags": "python"}) == {"tags": "must be a list of strings"}
    assert errors_of({"url": "https://a.example", "tags": ["ok", 3]}) == {"tags": "must be a list of strings"}
    assert errors_of({"url": "https://a.example", "tags": ["c++"]}) == {"tags": "tags use only letters, digits and dashes"}
    assert errors_of({"url": "https://a.example", "tags": [""]}) == {"tags": "tags use only letters, digits and dashes"}
    assert validate_bookmark({"url": "https://a.example", "tags": ["web-dev", "2024"]})["tags"] == ["web-dev", "2024"]


def test_every_problem_is_reported_at_once():
    assert errors_of({"title": "", "tags": [1], "stars": 5, "notes": "x"}) == {
        "url": "is required",
        "title": "must not be blank",
        "tags": "must be a list of strings",
        "stars": "unknown field",
        "notes": "unknown field",
    }


def test_partial_cleans_the_given_fields_only():
    assert validate_bookmark({"tags": ["A", "a", "b"]}, partial=True) == {"tags": ["a", "b"]}
    assert validate_bookmark({"url": " http://x.example "}, partial=True) == {"url": "http://x.example"}
    assert errors_of({"url": "nope"}, partial=True) == {"url": "must be an http or https URL"}
    assert errors_of({"color": "red"}, partial=True) == {"color": "unknown field"}


def test_validation_error_carries_its_errors():
    error = ValidationError({"url": "is required"})
    assert isinstance(error, Exception)
    assert error.errors == {"url": "is required"}
