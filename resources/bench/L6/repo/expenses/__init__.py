from flask import Flask


def create_app(config=None):
    """Builds the app; `config` overrides settings such as SECRET_KEY (the key that signs tokens)."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "change-me"
    app.config.update(config or {})

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app
