import pytest

from expenses import create_app


@pytest.fixture
def app():
    return create_app({"SECRET_KEY": "test-secret", "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
