import json

from blog.wsgi_client import call


def echo_app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    payload = {"method": environ["REQUEST_METHOD"], "path": environ["PATH_INFO"], "query": environ["QUERY_STRING"], "body": body.decode("utf-8")}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(payload).encode("utf-8")]


def test_call_passes_method_path_query_and_json_body():
    response = call(echo_app, "POST", "/things?page=2", json_body={"a": 1})
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"method": "POST", "path": "/things", "query": "page=2", "body": '{"a": 1}'}


def test_call_sends_raw_bytes():
    assert call(echo_app, "PUT", "/x", raw_body=b"not json").json()["body"] == "not json"
