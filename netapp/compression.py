"""Compressed text responses (Flask-Compress), never a stream.

Pages, fragments, CSS, JavaScript, JSON, SVG and calendar files go out gzip/brotli/zstd
compressed when the client accepts it. A streamed response is never compressed or
buffered (COMPRESS_STREAMS = False), and text/event-stream is not in the list either:
a compressor holds back bytes until it has enough, which would delay every live event.

Static files are sent by Flask as file streams; they are small and cached for a year
(netapp.assets), so they are read into memory here to be compressed like a page.
"""

from flask import Flask, request
from flask_compress import Compress

compress = Compress()


def init_app(app: Flask) -> None:
    """Register before every other after_request hook, so compression runs last."""
    # The settings are in netapp.config; a stream is never compressed, whatever they say.
    app.config["COMPRESS_MIMETYPES"] = [
        m for m in app.config["COMPRESS_MIMETYPES"] if m != "text/event-stream"]
    app.config["COMPRESS_STREAMS"] = False
    compress.init_app(app)
    texts = set(app.config["COMPRESS_MIMETYPES"])

    @app.after_request
    def _static_in_memory(response):
        if (request.endpoint == "static" and response.status_code == 200
                and response.mimetype in texts):
            response.direct_passthrough = False
            stream = response.response
            response.set_data(response.get_data())  # no longer a stream: compressible
            if hasattr(stream, "close"):
                stream.close()  # the file it was read from
        return response
