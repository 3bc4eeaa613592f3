"""The model download, for real, against an HTTP server on 127.0.0.1 serving the shared model."""

import http.server
import io
import tarfile
import threading
from pathlib import Path

import pytest

from mirror.cli import main
from mirror.errors import ModelError
from mirror.pose import model_store


@pytest.fixture()
def server(model_path):
    data = model_path.read_bytes()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("4.tflite")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    routes = {
        "/model.tflite": data,
        "/model.tar.gz": buf.getvalue(),
        "/corrupt.tflite": data[:-10] + b"0123456789",
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("route", ["/model.tflite", "/model.tar.gz"])
def test_fetch_downloads_verifies_and_installs(server, tmp_path, route):
    seen = []
    dest = model_store.fetch(tmp_path / "m.tflite", urls=[server + route],
                             progress=lambda done, total: seen.append((done, total)))
    assert model_store.sha256_of(dest) == model_store.MODEL_SHA256
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the full length
    assert not list(tmp_path.glob(".download-*"))  # no temp file left behind


def test_checksum_mismatch_is_refused_and_nothing_written(server, tmp_path):
    dest = tmp_path / "m.tflite"
    with pytest.raises(ModelError, match="does not match the pinned") as e:
        model_store.fetch(dest, urls=[server + "/corrupt.tflite"], progress=None)
    assert "corrupt.tflite" in str(e.value)
    assert not dest.exists() and not list(tmp_path.iterdir())


def test_each_address_is_tried_in_turn_and_named(server, tmp_path):
    dest = model_store.fetch(tmp_path / "m.tflite",
                             urls=[server + "/missing", server + "/model.tflite"], progress=None)
    assert dest.is_file()
    with pytest.raises(ModelError) as e:
        model_store.fetch(tmp_path / "x.tflite", urls=[server + "/a", server + "/b"],
                          progress=None)
    assert server + "/a" in str(e.value) and server + "/b" in str(e.value)


def test_cli_fetch_into_cache_then_path_and_verify(server, capsys):
    assert main(["model", "fetch", "--url", server + "/model.tflite"]) == 0
    cached = Path(capsys.readouterr().out.strip())
    assert cached == model_store.cache_dir() / model_store.MODEL_FILENAME
    assert main(["model", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(cached)
    assert main(["model", "verify"]) == 0
    assert "ok" in capsys.readouterr().out


def test_lookup_order(model_path, tmp_path, monkeypatch):
    monkeypatch.setenv("HINGE_MIRROR_MODEL", str(model_path))
    assert model_store.find_model().origin == "$HINGE_MIRROR_MODEL"
    assert model_store.find_model(model_path).origin == "--model"
    with pytest.raises(ModelError, match="not found"):
        model_store.find_model(tmp_path / "missing.tflite")
    monkeypatch.delenv("HINGE_MIRROR_MODEL")
    with pytest.raises(ModelError, match="hinge-mirror model fetch"):
        model_store.find_model()


def test_verify_rejects_a_different_file(tmp_path, capsys):
    other = tmp_path / "other.tflite"
    other.write_bytes(b"x" * 1000)
    assert main(["model", "verify", "--model", str(other)]) == 2
    assert "does not match" in capsys.readouterr().err


def test_fetch_into_an_unwritable_cache_is_one_line(server, tmp_path, monkeypatch, capsys):
    """s10 breakit #9: a cache folder under a file, or one without write permission."""
    afile = tmp_path / "afile"
    afile.write_text("keep")
    monkeypatch.setenv("XDG_CACHE_HOME", str(afile))
    assert main(["model", "fetch", "--url", server + "/model.tflite"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot save the model there (Not a directory)" in err[0], err
    assert afile.read_text() == "keep"

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def denied(*a, **k):  # as a chmod 555 folder does (root ignores chmod, so simulated)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(model_store.tempfile, "mkstemp", denied)
    assert main(["model", "fetch", "--url", server + "/model.tflite"]) == 2
    err = capsys.readouterr().err.strip().splitlines()  # the progress bar, then the error
    errors = [line for line in err if "error" in line]
    assert errors == err[-1:] and "cannot save the model there (Permission denied)" in err[-1]
    assert list((tmp_path / "cache" / "hinge-mirror" / "models").iterdir()) == []
