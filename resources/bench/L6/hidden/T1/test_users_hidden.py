import pytest

from expenses.users import UserStore

USERNAME_RULE = "username must be 3-32 letters, digits or underscores"


def test_register_answers_the_normalised_username():
    users = UserStore()
    assert users.register("  Bob_99 ", "long enough") == {"username": "bob_99"}


@pytest.mark.parametrize("username", ["abc", "a" * 32, "user_1", "UPPER"])
def test_valid_usernames(username):
    assert UserStore().register(username, "long enough") == {"username": username.lower()}


@pytest.mark.parametrize("username", ["ab", "a" * 33, "bad-name", "two words", "émile", "", None, 12])
def test_invalid_usernames(username):
    with pytest.raises(ValueError, match=USERNAME_RULE):
        UserStore().register(username, "long enough")


@pytest.mark.parametrize("password", ["", "1234567", None, 12345678])
def test_short_or_missing_passwords(password):
    with pytest.raises(ValueError, match="password must be at least 8 characters"):
        UserStore().register("carol", password)


def test_a_password_of_exactly_eight_characters_is_fine():
    users = UserStore()
    users.register("carol", "12345678")
    assert users.verify("carol", "12345678")


def test_duplicates_compare_normalised_usernames():
    users = UserStore()
    users.register("dave", "long enough")
    with pytest.raises(ValueError, match="username already taken"):
        users.register(" DAVE ", "different pw")
    assert users.verify("dave", "long enough")


def test_verify():
    users = UserStore()
    users.register("erin", "s3cret-pass")
    assert users.verify("erin", "s3cret-pass") is True
    assert users.verify(" Erin ", "s3cret-pass") is True
    assert users.verify("erin", "s3cret-Pass") is False
    assert users.verify("erin", "") is False
    assert users.verify("nobody", "s3cret-pass") is False
    assert users.verify(None, None) is False


def test_passwords_are_salted_hashes_not_plain_text():
    users = UserStore()
    users.register("fay", "same password")
    users.register("gus", "same password")
    first, second = users.password_hash("fay"), users.password_hash("gus")
    assert "same password" not in first
    assert first != second
    assert users.password_hash("nobody") is None


def test_each_store_is_separate():
    UserStore().register("hal", "long enough")
    assert UserStore().verify("hal", "long enough") is False
