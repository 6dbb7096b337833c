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

from expenses.budgets import budget_report


def spend(client, headers, amount, category, day):
    assert client.post("/expenses", json={"amount": amount, "category": category, "date": day}, headers=headers).status_code == 201


def test_put_sets_and_replaces_a_budget(client):
    alice = login(client)
    first = client.put("/budgets/ Food ", json={"limit": 150}, headers=alice)
    assert first.status_code == 200
    assert first.get_json() == {"category": "food", "limit": 150}
    second = client.put("/budgets/food", json={"limit": "99.95"}, headers=alice)
    assert second.get_json() == {"category": "food", "limit": 99.95}
    budgets = client.get("/budgets?month=2026-03", headers=alice).get_json()["budgets"]
    assert [(b["category"], b["limit"]) for b in budgets] == [("food", 99.95)]


@pytest.mark.parametrize("body, message", [
    ({}, "is required"),
    ({"limit": 0}, "must be more than zero"),
    ({"limit": -20}, "must be more than zero"),
    ({"limit": "lots"}, "must be a number"),
    ({"limit": 10.001}, "must have at most two decimals"),
])
def test_invalid_limits_are_400s(client, body, message):
    response = client.put("/budgets/food", json=body, headers=login(client))
    assert response.status_code == 400
    assert response.get_json() == {"error": "invalid budget", "fields": {"limit": message}}


def test_report_sums_the_month_per_category_and_flags_overruns(client):
    alice = login(client)
    for category, limit in (("travel", 100), ("food", 200), ("books", 30)):
        client.put(f"/budgets/{category}", json={"limit": limit}, headers=alice)
    spend(client, alice, 120.25, "food", "2026-03-01")
    spend(client, alice, 79.75, "food", "2026-03-31")
    spend(client, alice, 80, "food", "2026-02-28")
    spend(client, alice, 100.01, "travel", "2026-03-15")
    spend(client, alice, 45, "games", "2026-03-15")
    response = client.get("/budgets?month=2026-03", headers=alice)
    assert response.status_code == 200
    assert response.get_json() == {
        "month": "2026-03",
        "budgets": [
            {"category": "books", "limit": 30, "spent": 0, "remaining": 30, "over_budget": False},
            {"category": "food", "limit": 200, "spent": 200, "remaining": 0, "over_budget": False},
            {"category": "travel", "limit": 100, "spent": 100.01, "remaining": -0.01, "over_budget": True},
        ],
    }


def test_another_month_has_its_own_spending(client):
    alice = login(client)
    client.put("/budgets/food", json={"limit": 50}, headers=alice)
    spend(client, alice, 80, "food", "2026-02-28")
    assert client.get("/budgets?month=2026-02", headers=alice).get_json()["budgets"][0]["over_budget"] is True
    assert client.get("/budgets?month=2026-03", headers=alice).get_json()["budgets"][0]["spent"] == 0


def test_month_defaults_to_the_current_one(client):
    alice = login(client)
    client.put("/budgets/food", json={"limit": 10}, headers=alice)
    spend(client, alice, 12, "food", date.today().isoformat())
    body = client.get("/budgets", headers=alice).get_json()
    assert body["month"] == date.today().strftime("%Y-%m")
    assert body["budgets"] == [{"category": "food", "limit": 10, "spent": 12, "remaining": -2, "over_budget": True}]


def test_bad_month_is_a_400(client):
    response = client.get("/budgets?month=03-2026", headers=login(client))
    assert response.status_code == 400
    assert response.get_json() == {"error": "month must be YYYY-MM"}


def test_budgets_and_spending_are_per_user(client):
    alice, bob = login(client), login(client, "bob")
    client.put("/budgets/food", json={"limit": 10}, headers=alice)
    client.put("/budgets/food", json={"limit": 500}, headers=bob)
    spend(client, bob, 100, "food", "2026-03-02")
    assert client.get("/budgets?month=2026-03", headers=alice).get_json()["budgets"] == [
        {"category": "food", "limit": 10, "spent": 0, "remaining": 10, "over_budget": False}
    ]
    assert client.get("/budgets?month=2026-03", headers=bob).get_json()["budgets"][0]["spent"] == 100


def test_budgets_need_a_token(client):
    assert client.get("/budgets").status_code == 401
    assert client.put("/budgets/food", json={"limit": 1}).get_json() == {"error": "authentication required"}


def test_budget_report_function():
    expenses = [{"category": "a", "amount_cents": 150}, {"category": "a", "amount_cents": 100}, {"category": "b", "amount_cents": 5}]
    assert budget_report({"b": 5, "a": 200}, expenses) == [
        {"category": "a", "limit": 2, "spent": 2.5, "remaining": -0.5, "over_budget": True},
        {"category": "b", "limit": 0.05, "spent": 0.05, "remaining": 0, "over_budget": False},
    ]
