import platform

from helpers.reproducibility import fingerprint


def test_fingerprint_names_python_packages_and_threads():
    result = fingerprint.environment_fingerprint()
    assert result["python"] == platform.python_version()
    assert result["packages"]["numpy"]
    assert "OMP_NUM_THREADS" in result["threads"]
    assert result["cpu"]["logical_cores"] >= 1
    assert isinstance(result["blas"], list)


def test_missing_package_is_none_not_an_error():
    versions = fingerprint.package_versions(["numpy", "surely-not-installed-pkg"])
    assert versions["surely-not-installed-pkg"] is None
    assert versions["numpy"]


def test_digest_is_stable_and_sensitive():
    result = fingerprint.environment_fingerprint()
    assert fingerprint.fingerprint_digest(result) == fingerprint.fingerprint_digest(dict(result))
    changed = {**result, "python": "0.0.0"}
    assert fingerprint.fingerprint_digest(changed) != fingerprint.fingerprint_digest(result)
