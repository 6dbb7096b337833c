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
from datetime import date


def add(client, headers, **body):
    return client.post("/expenses", json=body, headers=headers)


def test_add_answers_201_with_the_cleaned_expense(client):
    alice = login(client)
    response = add(client, alice, amount="19.99", category="  Groceries ", description=" weekly shop ", date="2026-03-05")
    assert response.status_code == 201
    assert response.get_json() == {"id": 1, "amount": 19.99, "category": "groceries", "description": "weekly shop", "date": "2026-03-05"}


def test_defaults_description_empty_and_date_today(client):
    alice = login(client)
    body = add(client, alice, amount=4, category="coffee").get_json()
    assert body["description"] == ""
    assert body["date"] == date.today().isoformat()
    assert body["amount"] == 4


@pytest.mark.parametrize("body, fields", [
    ({"category": "food"}, {"amount": "is required"}),
    ({"amount": 0, "category": "food"}, {"amount": "must be more than zero"}),
    ({"amount": -1, "category": "food"}, {"amount": "must be more than zero"}),
    ({"amount": "1.234", "category": "food"}, {"amount": "must have at most two decimals"}),
    ({"amount": "ten", "category": "food"}, {"amount": "must be a number"}),
    ({"amount": True, "category": "food"}, {"amount": "must be a number"}),
    ({"amount": 1}, {"category": "is required"}),
    ({"amount": 1, "category": "  "}, {"category": "must be a non-empty string"}),
    ({"amount": 1, "category": "food", "description": 5}, {"description": "must be a string"}),
    ({"amount": 1, "category": "food", "date": "2026-13-01"}, {"date": "must be a date YYYY-MM-DD"}),
    ({"amount": 1, "category": "food", "date": "01/03/2026"}, {"date": "must be a date YYYY-MM-DD"}),
    ({"amount": 1, "category": "food", "date": "20260301"}, {"date": "must be a date YYYY-MM-DD"}),
    ({"amount": 1, "category": "food", "paid_by": "x"}, {"paid_by": "unknown field"}),
    ({}, {"amount": "is required", "category": "is required"}),
])
def test_invalid_expenses_are_400s(client, body, fields):
    alice = login(client)
    response = add(client, alice, **body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid expense", "fields": fields}
    assert client.get("/expenses", headers=alice).get_json() == {"expenses": []}


def test_a_body_that_is_not_an_object_is_a_400(client):
    response = client.post("/expenses", json=[1, 2], headers=login(client))
    assert response.status_code == 400
    assert response.get_json() == {"error": "expected a JSON object"}


def test_list_is_mine_only_sorted_by_date_then_id(client):
    alice, bob = login(client), login(client, "bob")
    add(client, alice, amount=1, category="a", date="2026-03-10")
    add(client, bob, amount=2, category="a", date="2026-03-01")
    add(client, alice, amount=3, category="b", date="2026-03-01")
    add(client, alice, amount=4, category="a", date="2026-03-10")
    response = client.get("/expenses", headers=alice)
    assert response.status_code == 200
    assert [(e["id"], e["amount"]) for e in response.get_json()["expenses"]] == [(3, 3), (1, 1), (4, 4)]
    assert [e["amount"] for e in client.get("/expenses", headers=bob).get_json()["expenses"]] == [2]


def test_filters_by_category_and_month(client):
    alice = login(client)
    add(client, alice, amount=1, category="food", date="2026-02-28")
    add(client, alice, amount=2, category="food", date="2026-03-01")
    add(client, alice, amount=3, category="rent", date="2026-03-31")
    add(client, alice, amount=4, category="food", date="2025-03-15")
    amounts = lambda query: [e["amount"] for e in client.get("/expenses" + query, headers=alice).get_json()["expenses"]]
    assert amounts("?category=food") == [4, 1, 2]
    assert amounts("?category=FOOD") == [4, 1, 2]
    assert amounts("?month=2026-03") == [2, 3]
    assert amounts("?month=2026-03&category=rent") == [3]
    assert amounts("?category=travel") == []


@pytest.mark.parametrize("month", ["2026-3", "2026-13", "march", "2026-03-01"])
def test_a_bad_month_is_a_400(client, month):
    response = client.get(f"/expenses?month={month}", headers=login(client))
    assert response.status_code == 400
    assert response.get_json() == {"error": "month must be YYYY-MM"}


def test_expenses_need_a_valid_token(client):
    assert client.get("/expenses").status_code == 401
    response = client.post("/expenses", json={"amount": 1, "category": "food"}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.get_json() == {"error": "authentication required"}
