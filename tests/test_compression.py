"""Text responses go out compressed; an event stream is never compressed nor held back."""

import gzip
import threading

import pytest
from flask import Response

GZIP = {"Accept-Encoding": "gzip"}


def test_a_page_goes_out_gzipped_and_reads_back_the_same(client):
    plain = client.get("/auth/login")
    packed = client.get("/auth/login", headers=GZIP)
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) < len(plain.data) / 1.5
    assert gzip.decompress(packed.data).decode().count("csrf") == plain.text.count("csrf")


def test_static_text_goes_out_gzipped_and_revalidates(app, client):
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="vendor/htmx-2.0.11.min.js")
    plain = client.get(url)
    packed = client.get(url, headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    again = client.get(url, headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.own_app
def test_an_event_stream_is_neither_compressed_nor_buffered(app):
    produced, go_on = [], threading.Event()

    def events():
        produced.append(1)
        yield "data: " + "first " * 200 + "\n\n"
        go_on.wait(timeout=2)
        produced.append(2)
        yield "data: second\n\n"

    app.add_url_rule("/_test/stream", "test_stream",
                     lambda: Response(events(), mimetype="text/event-stream"))
    whole_body = "data: " + "x " * 2000 + "\n\n"
    app.add_url_rule("/_test/whole", "test_whole",
                     lambda: Response(whole_body, mimetype="text/event-stream"))
    client = app.test_client()
    stream = client.get("/_test/stream", headers=GZIP, buffered=False)
    assert stream.headers.get("Content-Encoding") is None
    chunks = iter(stream.response)
    assert next(chunks).startswith(b"data: first")
    assert produced == [1]  # the first event arrived before the second was made
    go_on.set()
    assert b"second" in b"".join(chunks)
    stream.close()
    whole = client.get("/_test/whole", headers=GZIP)
    assert whole.headers.get("Content-Encoding") is None and whole.data.startswith(b"data: x")
