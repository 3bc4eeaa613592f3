"""The backend-selection rule: preference order, known-bad versions, recorded self-tests."""

import pytest

from mirror.errors import ModelError
from mirror.pose import backend as be
from mirror.pose.backend import BackendInfo, TfliteModel, choose_backend, known_bad_reason

LITERT = lambda v: BackendInfo("litert", "ai-edge-litert", v)  # noqa: E731
TFLITE = BackendInfo("tflite", "tflite-runtime", "2.14.0")


@pytest.fixture()
def crashing_litert(monkeypatch):
    """A known-bad entry like the one once suspected for LiteRT 2.2/2.3 on aarch64."""
    monkeypatch.setitem(be.KNOWN_BAD, ("litert", "aarch64"), ("2.2.", "2.3."))


def test_no_litert_version_is_excluded_today():
    """pi-check showed the 2.2/2.3 crash was qemu's x86 /proc/cpuinfo, not the Pi."""
    for v in ("2.3.0", "2.2.0", "2.1.6", "2.0.3"):
        assert known_bad_reason("litert", v, "aarch64") is None
    assert choose_backend([LITERT("2.3.0"), TFLITE], machine="aarch64").name == "litert"


@pytest.mark.parametrize("version", ["2.2.0", "2.3.0", "2.3.1"])
def test_known_bad_versions_are_skipped_for_the_next_backend(crashing_litert, version):
    assert known_bad_reason("litert", version, "aarch64")
    assert choose_backend([LITERT(version), TFLITE], machine="aarch64") == TFLITE
    # The same version on another machine is not affected.
    assert choose_backend([LITERT(version), TFLITE], machine="x86_64").name == "litert"


def test_preference_is_litert_then_tflite():
    assert choose_backend([LITERT("2.1.6"), TFLITE], machine="aarch64").name == "litert"
    assert choose_backend([TFLITE], machine="aarch64") == TFLITE


def test_failed_selftest_falls_back_in_order():
    chosen = choose_backend([LITERT("2.1.6"), TFLITE], machine="aarch64",
                            selftest_passed={"litert": False})
    assert chosen == TFLITE
    with pytest.raises(ModelError, match="failed its self-test"):
        choose_backend([LITERT("2.1.6"), TFLITE], machine="aarch64",
                       selftest_passed={"litert": False, "tflite": False})


def test_nothing_usable_says_why(crashing_litert):
    with pytest.raises(ModelError, match="known to crash"):
        choose_backend([LITERT("2.3.0")], machine="aarch64")
    with pytest.raises(ModelError, match=r"pip install 'hinge-mirror\[litert\]'"):
        choose_backend([], machine="x86_64")
    with pytest.raises(ModelError, match="tflite is not installed"):
        choose_backend([LITERT("2.3.0")], requested="tflite", machine="x86_64")


def test_selftest_records_a_result_per_version_and_open_model_honours_it(model_path):
    results = be.selftest(model_path, threads=1)
    assert results and all(r["ok"] for r in results), results
    cached = be._cached_selftests()
    assert cached == {r["backend"]: True for r in results}
    model = be.open_model(model_path, threads=1, selftest_first=True)
    assert model.backend.name == results[0]["backend"]


def test_missing_and_corrupt_model_files_are_one_line_errors(tmp_path):
    backends = be.installed_backends()
    if not backends:
        pytest.skip("no inference backend installed")
    with pytest.raises(ModelError, match="model file not found"):
        TfliteModel(tmp_path / "none.tflite", backends[0])
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"this is not a flatbuffer" * 100)
    with pytest.raises(ModelError, match="not a valid TensorFlow Lite model") as e:
        TfliteModel(bad, backends[0])
    assert "\n" not in str(e.value)


def test_a_bad_model_or_threads_in_selftest_does_not_poison_the_cache(model_path, tmp_path,
                                                                       capsys):
    """s10 breakit #3: a user's broken .tflite or --threads 0 failing the self-test must not
    be recorded as the backend failing (every later model command would refuse to run)."""
    from mirror.cli import main

    if not be.installed_backends():
        pytest.skip("no inference backend installed")
    text = tmp_path / "text.tflite"
    text.write_text("hi\n")
    assert main(["model", "selftest", "--model", str(text)]) == 1
    assert "FAIL" in capsys.readouterr().out
    assert main(["model", "verify", "--model", str(model_path)]) == 0
    assert ": ok (sha256" in capsys.readouterr().out
    for threads in ("0", "-3"):
        for action in ("selftest", "verify"):
            assert main(["model", action, "--threads", threads, "--model", str(model_path)]) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert err == [f"hinge-mirror: error: --threads {threads}: expected 1 or more"]
    assert be._cached_selftests(text) == {b.name: False for b in be.installed_backends()}
    assert be._cached_selftests(model_path) == {}  # untested with this model, not failed
    model = be.open_model(model_path, threads=1, selftest_first=True)  # the kiosk's way
    assert be._cached_selftests(model_path)[model.backend.name] is True
