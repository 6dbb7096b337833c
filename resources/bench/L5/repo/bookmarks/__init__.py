from flask import Flask

from bookmarks.store import BookmarkStore


def create_app():
    app = Flask(__name__)
    app.config["STORE"] = BookmarkStore()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    return app
