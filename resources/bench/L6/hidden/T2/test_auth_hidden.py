import pytest

from expenses import create_app

SECRET = "hidden-secret"


@pytest.fixture
def app():
    return create_app({"SECRET_KEY": SECRET, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username="alice", password="correct horse"):
    client.post("/register", json={"username": username, "password": password})
    response = client.post("/login", json={"username": username, "password": password})
    assert response.status_code == 200
    return {"Authorization": "Bearer " + response.get_json()["token"]}

from datetime import datetime, timedelta, timezone

import jwt

from expenses.auth import AuthError, decode_token, issue_token


def test_register_201_then_409(client):
    response = client.post("/register", json={"username": " Alice ", "password": "correct horse"})
    assert response.status_code == 201
    assert response.get_json() == {"username": "alice"}
    again = client.post("/register", json={"username": "ALICE", "password": "correct horse"})
    assert again.status_code == 409
    assert again.get_json() == {"error": "username already taken"}


@pytest.mark.parametrize("body, message", [
    ({"username": "al", "password": "correct horse"}, "username must be 3-32 letters, digits or underscores"),
    ({"username": "alice", "password": "short"}, "password must be at least 8 characters"),
    ({"password": "correct horse"}, "username must be 3-32 letters, digits or underscores"),
])
def test_register_400s(client, body, message):
    response = client.post("/register", json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": message}


def test_login_token_is_an_hs256_jwt_for_one_hour(client):
    client.post("/register", json={"username": "alice", "password": "correct horse"})
    response = client.post("/login", json={"username": "Alice", "password": "correct horse"})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == "alice"
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(claims["iat"] - datetime.now(timezone.utc).timestamp()) < 60


@pytest.mark.parametrize("body", [{"username": "alice", "password": "wrong horse"}, {"username": "nobody", "password": "correct horse"}, {}])
def test_bad_logins_are_401(client, body):
    client.post("/register", json={"username": "alice", "password": "correct horse"})
    response = client.post("/login", json=body)
    assert response.status_code == 401
    assert response.get_json() == {"error": "invalid credentials"}


def test_me_with_a_valid_token(client):
    assert client.get("/me", headers=login(client)).get_json() == {"username": "alice"}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer "},
    {"Authorization": "Token abc"},
    bearer("not.a.jwt"),
    bearer(jwt.encode({"sub": "alice", "exp": 4102444800}, "another-secret", algorithm="HS256")),
    bearer(jwt.encode({"sub": "alice", "exp": 946684800}, SECRET, algorithm="HS256")),
    bearer(jwt.encode({"sub": "alice"}, SECRET, algorithm="HS256")),
])
def test_me_refuses_missing_bad_foreign_and_expired_tokens(client, headers):
    response = client.get("/me", headers=headers)
    assert response.status_code == 401
    assert response.get_json() == {"error": "authentication required"}


def test_the_app_signs_with_its_configured_secret(client):
    token = issue_token("zed", SECRET)
    assert client.get("/me", headers=bearer(token)).get_json() == {"username": "zed"}
    other = create_app({"SECRET_KEY": "different"}).test_client()
    assert other.get("/me", headers=bearer(token)).status_code == 401


def test_issue_and_decode_tokens():
    now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    token = issue_token("alice", "k", now=now)
    claims = jwt.decode(token, "k", algorithms=["HS256"], options={"verify_exp": False})
    assert claims == {"sub": "alice", "iat": int(now.timestamp()), "exp": int((now + timedelta(hours=1)).timestamp())}
    assert decode_token(issue_token("alice", "k"), "k") == "alice"
    with pytest.raises(AuthError):
        decode_token(token, "k")
    with pytest.raises(AuthError):
        decode_token(issue_token("alice", "k"), "wrong")
    with pytest.raises(AuthError):
        decode_token("garbage", "k")
