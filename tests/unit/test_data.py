import shutil

import pytest

from helpers import data


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of data/ so the tests can break it."""
    root = tmp_path / "data"
    shutil.copytree(data.data_dir(), root)
    return root


def test_bundled_data_loads_and_is_verified():
    features, target = data.load_wdbc()
    assert features.shape == (569, 30)
    assert set(target.unique()) == {0, 1}
    assert int(target.sum()) == 212


def test_every_bundled_file_matches_its_checksum():
    for relative in data.recorded_checksums():
        assert data.verified_path(relative).exists()


def test_missing_file_says_how_to_restore_it(data_copy):
    (data_copy / data.WDBC).unlink()
    with pytest.raises(data.DataIntegrityError, match=r"is missing.*git checkout -- data/wdbc"):
        data.load_wdbc(data_copy)


def test_corrupted_file_is_refused_and_left_untouched(data_copy):
    path = data_copy / data.WDBC
    path.write_bytes(path.read_bytes()[:-100])
    before = path.read_bytes()
    with pytest.raises(data.DataIntegrityError, match="does not match its recorded checksum"):
        data.load_wdbc(data_copy)
    assert path.read_bytes() == before


def test_unknown_file_lists_the_known_ones():
    with pytest.raises(KeyError, match=r"wdbc/wdbc\.csv"):
        data.verified_path("nope.csv")


def test_env_var_overrides_the_data_folder(data_copy, monkeypatch):
    monkeypatch.setenv(data.DATA_ENV_VAR, str(data_copy))
    assert data.data_dir() == data_copy


def test_missing_checksum_file_is_a_clear_error(data_copy):
    (data_copy / data.CHECKSUMS_FILE).unlink()
    with pytest.raises(data.DataIntegrityError, match="SHA256SUMS is missing"):
        data.load_wdbc(data_copy)


def test_read_wdbc_refuses_a_file_without_the_label(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="no 'diagnosis' column"):
        data.read_wdbc(path)
