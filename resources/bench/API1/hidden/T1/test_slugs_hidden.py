import pytest

from blog.slugs import slugify


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Hello World", "hello-world"),
        ("  --Hello,   World!!--  ", "hello-world"),
        ("C3PO & R2-D2", "c3po-r2-d2"),
        ("Ünïcode café", "n-code-caf"),
        ("ALL CAPS", "all-caps"),
        ("one", "one"),
        ("2024 review", "2024-review"),
    ],
)
def test_slugs(title, slug):
    assert slugify(title) == slug


def test_at_most_fifty_characters_and_no_trailing_dash():
    slug = slugify("abcd " * 20)
    assert len(slug) <= 50
    assert not slug.endswith("-")
    assert slug.startswith("abcd-abcd")
    assert slugify("x" * 80) == "x" * 50


def test_cut_at_a_dash_drops_it():
    title = "a" * 49 + " bcd"
    assert slugify(title) == "a" * 49


@pytest.mark.parametrize("title", ["", "   ", "!!!", "--- ???", "éèà"])
def test_no_letters_or_digits(title):
    with pytest.raises(ValueError):
        slugify(title)


def test_taken_slugs_get_the_first_free_number():
    assert slugify("Post", taken=["post"]) == "post-2"
    assert slugify("Post", taken={"post", "post-2", "post-3"}) == "post-4"
    assert slugify("Post", taken={"post", "post-3"}) == "post-2"
    assert slugify("Post", taken={"post-2"}) == "post"
    assert slugify("Post", taken=()) == "post"


def test_taken_accepts_any_iterable():
    assert slugify("Post", taken=iter(["post"])) == "post-2"
