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
import csv
import io

from expenses.export import to_csv


def spend(client, headers, **body):
    assert client.post("/expenses", json=body, headers=headers).status_code == 201


def rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_export_headers_and_rows_sorted_by_date(client):
    alice = login(client)
    spend(client, alice, amount=7, category="food", date="2026-03-09")
    spend(client, alice, amount="0.5", category="coffee", description="espresso", date="2026-03-01")
    response = client.get("/expenses/export.csv", headers=alice)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="expenses.csv"'
    assert rows(response) == [
        ["date", "category", "description", "amount"],
        ["2026-03-01", "coffee", "espresso", "0.50"],
        ["2026-03-09", "food", "", "7.00"],
    ]


def test_export_quotes_commas_quotes_and_newlines(client):
    alice = login(client)
    spend(client, alice, amount=1234.5, category="home", description='sofa, "grey"\nsecond line', date="2026-01-02")
    response = client.get("/expenses/export.csv", headers=alice)
    assert rows(response)[1] == ["2026-01-02", "home", 'sofa, "grey"\nsecond line', "1234.50"]
    assert '"sofa, ""grey""' in response.get_data(as_text=True)


def test_export_of_nothing_is_just_the_header(client):
    response = client.get("/expenses/export.csv", headers=login(client))
    assert response.get_data(as_text=True) == "date,category,description,amount\r\n"


def test_export_is_mine_only(client):
    alice, bob = login(client), login(client, "bob")
    spend(client, bob, amount=99, category="secret", date="2026-03-01")
    spend(client, alice, amount=1, category="food", date="2026-03-01")
    assert [row[1] for row in rows(client.get("/expenses/export.csv", headers=alice))[1:]] == ["food"]


def test_export_of_one_month(client):
    alice = login(client)
    spend(client, alice, amount=1, category="a", date="2026-02-28")
    spend(client, alice, amount=2, category="b", date="2026-03-01")
    response = client.get("/expenses/export.csv?month=2026-02", headers=alice)
    assert response.headers["Content-Disposition"] == 'attachment; filename="expenses-2026-02.csv"'
    assert rows(response)[1:] == [["2026-02-28", "a", "", "1.00"]]
    bad = client.get("/expenses/export.csv?month=feb", headers=alice)
    assert bad.status_code == 400
    assert bad.get_json() == {"error": "month must be YYYY-MM"}


def test_export_needs_a_token(client):
    response = client.get("/expenses/export.csv")
    assert response.status_code == 401
    assert response.get_json() == {"error": "authentication required"}


def test_to_csv_function():
    text = to_csv([{"date": "2026-03-01", "category": "food", "description": "x", "amount_cents": 5}])
    assert text == "date,category,description,amount\r\n2026-03-01,food,x,0.05\r\n"
