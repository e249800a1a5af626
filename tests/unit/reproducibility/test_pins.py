from importlib import metadata

import pytest

from helpers.reproducibility import pins


def test_reads_exact_pins_and_skips_comments_and_options(tmp_path):
    path = tmp_path / "req.txt"
    path.write_text("# c\n--extra-index-url x\nScikit_Learn==1.2.3  # note\n\nnumpy==2.0\n")
    assert pins.read_pins(path) == {"scikit-learn": "1.2.3", "numpy": "2.0"}


@pytest.mark.parametrize("line", ["numpy>=2", "numpy", "numpy~=2.0"])
def test_loose_requirement_is_refused_with_its_line(tmp_path, line):
    path = tmp_path / "req.txt"
    path.write_text(f"pandas==2.3.3\n{line}\n")
    with pytest.raises(ValueError, match=r"req.txt:2: .* is not an exact pin"):
        pins.read_pins(path)


def test_mismatches_report_wrong_and_missing_packages():
    numpy_version = metadata.version("numpy")
    found = pins.installed_mismatches(
        {"numpy": numpy_version, "pandas": "0.0.1", "surely-not-installed-pkg": "1.0"}
    )
    assert [m.name for m in found] == ["pandas", "surely-not-installed-pkg"]
    assert "not installed" in str(found[1])


def test_local_version_label_is_not_a_mismatch():
    torch_version = metadata.version("torch").split("+")[0]
    assert pins.installed_mismatches({"torch": torch_version + "+cpu"}) == []
