import pytest

from mirror.errors import ModelError
from mirror.pose.backend import BackendInfo, TfliteModel, choose_backend, known_bad_reason

LITERT = lambda v: BackendInfo("litert", "ai-edge-litert", v)  # noqa: E731
TFLITE = BackendInfo("tflite", "tflite-runtime", "2.14.0")


@pytest.mark.parametrize("version", ["2.2.0", "2.3.0", "2.3.1"])
def test_crashing_litert_versions_are_excluded_on_aarch64(version):
    assert known_bad_reason("litert", version, "aarch64")
    chosen = choose_backend([LITERT(version), TFLITE], machine="aarch64")
    assert chosen == TFLITE


@pytest.mark.parametrize("version", ["2.1.6", "2.0.3", "1.4.0"])
def test_working_litert_versions_are_preferred_on_aarch64(version):
    assert known_bad_reason("litert", version, "aarch64") is None
    assert choose_backend([LITERT(version), TFLITE], machine="aarch64").name == "litert"


def test_x86_keeps_litert_2_3_and_prefers_it():
    assert choose_backend([LITERT("2.3.0"), TFLITE], machine="x86_64").name == "litert"


def test_failed_selftest_falls_back_in_order():
    chosen = choose_backend([LITERT("2.1.6"), TFLITE], machine="aarch64",
                            selftest_passed={"litert": False})
    assert chosen == TFLITE


def test_nothing_usable_says_why():
    with pytest.raises(ModelError, match="known to crash"):
        choose_backend([LITERT("2.3.0")], machine="aarch64")
    with pytest.raises(ModelError, match=r"pip install 'hinge-mirror\[litert\]'"):
        choose_backend([], machine="x86_64")
    with pytest.raises(ModelError, match="tflite is not installed"):
        choose_backend([LITERT("2.3.0")], requested="tflite", machine="x86_64")


def test_missing_and_corrupt_model_files_are_one_line_errors(tmp_path):
    from mirror.pose.backend import installed_backends

    backends = installed_backends()
    if not backends:
        pytest.skip("no inference backend installed")
    with pytest.raises(ModelError, match="model file not found"):
        TfliteModel(tmp_path / "none.tflite", backends[0])
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"this is not a flatbuffer" * 100)
    with pytest.raises(ModelError, match="not a valid TensorFlow Lite model") as e:
        TfliteModel(bad, backends[0])
    assert "\n" not in str(e.value)
