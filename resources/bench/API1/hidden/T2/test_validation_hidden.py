import pytest

from blog.validation import ValidationError, validate_comment, validate_post

VALID = {"title": "Title", "body": "Body", "author": "ann"}


def errors(validate, payload):
    with pytest.raises(ValidationError) as raised:
        validate(payload)
    assert isinstance(raised.value, Exception)
    return raised.value.errors


def test_minimal_post_is_cleaned_with_empty_tags():
    assert validate_post(dict(VALID)) == {"title": "Title", "body": "Body", "author": "ann", "tags": []}


def test_trims_text():
    cleaned = validate_post({"title": "  T  ", "body": "\n B \n", "author": "\tann "})
    assert (cleaned["title"], cleaned["body"], cleaned["author"]) == ("T", "B", "ann")


def test_tags_are_trimmed_lowercased_and_deduplicated_in_order():
    assert validate_post({**VALID, "tags": [" Web ", "python", "WEB", "Python", "api"]})["tags"] == ["web", "python", "api"]


def test_five_distinct_tags_are_fine_six_are_not():
    assert len(validate_post({**VALID, "tags": ["a", "b", "c", "d", "e", "A"]})["tags"]) == 5
    assert "tags" in errors(validate_post, {**VALID, "tags": ["a", "b", "c", "d", "e", "f"]})


@pytest.mark.parametrize("tags", ["python", [""], ["  "], [1], None, {"a": 1}])
def test_bad_tags(tags):
    assert set(errors(validate_post, {**VALID, "tags": tags})) == {"tags"}


@pytest.mark.parametrize("field", ["title", "body", "author"])
@pytest.mark.parametrize("value", [None, "", "   ", 5, ["x"]])
def test_required_text(field, value):
    assert set(errors(validate_post, {**VALID, field: value})) == {field}


@pytest.mark.parametrize("field", ["title", "body", "author"])
def test_missing_required_text(field):
    payload = dict(VALID)
    del payload[field]
    assert set(errors(validate_post, payload)) == {field}


def test_length_limits_apply_after_trimming():
    assert validate_post({**VALID, "title": " " + "t" * 120 + " "})["title"] == "t" * 120
    assert set(errors(validate_post, {**VALID, "title": "t" * 121})) == {"title"}
    assert validate_post({**VALID, "author": "a" * 40})["author"] == "a" * 40
    assert set(errors(validate_post, {**VALID, "author": "a" * 41})) == {"author"}
    assert validate_post({**VALID, "body": "b" * 10000})["body"] == "b" * 10000
    assert set(errors(validate_post, {**VALID, "body": "b" * 10001})) == {"body"}


def test_unknown_fields_and_every_error_at_once():
    found = errors(validate_post, {"title": "", "author": 3, "extra": 1, "id": 4})
    assert set(found) == {"title", "body", "author", "extra", "id"}
    assert found["extra"] == "unknown field"
    assert all(isinstance(message, str) and message for message in found.values())


@pytest.mark.parametrize("payload", [None, [], "text", 3, [VALID]])
def test_not_an_object(payload):
    assert errors(validate_post, payload) == {"_": "expected a JSON object"}
    assert errors(validate_comment, payload) == {"_": "expected a JSON object"}


def test_comments():
    assert validate_comment({"author": " bob ", "body": " hi "}) == {"author": "bob", "body": "hi"}
    assert validate_comment({"author": "b", "body": "x" * 500})["body"] == "x" * 500
    assert set(errors(validate_comment, {"author": "b", "body": "x" * 501})) == {"body"}
    assert set(errors(validate_comment, {"author": "b" * 41, "body": "x"})) == {"author"}
    assert set(errors(validate_comment, {})) == {"author", "body"}
    assert errors(validate_comment, {"author": "b", "body": "x", "tags": []}) == {"tags": "unknown field"}


def test_input_is_not_changed():
    payload = {**VALID, "title": "  T ", "tags": ["A"]}
    validate_post(payload)
    assert payload == {**VALID, "title": "  T ", "tags": ["A"]}
