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


def test_sentences_load_in_file_order_with_balanced_labels():
    frame = data.load_sentences()
    assert list(frame.columns) == ["text", "label", "source"]
    assert len(frame) == 2000
    assert list(frame["source"].unique()) == ["amazon", "yelp"]
    counts = frame.groupby("source")["label"].value_counts()
    assert counts.to_dict() == {(s, k): 500 for s in ("amazon", "yelp") for k in (0, 1)}
    assert frame["label"].dtype.kind == "i"
    assert frame.loc[0, "text"] == (
        "So there is no way for me to plug it in here in the US unless I go by a converter.")
    assert frame.loc[1000, ["text", "label"]].tolist() == ["Wow... Loved this place.", 1]


def test_sentences_keep_quotes_and_accents_as_written():
    texts = set(data.load_sentences()["text"])
    assert 'The design is very odd, as the ear "clip" is not very comfortable at all.' in texts
    assert "Looks great and is strong.\"" in texts  # an unbalanced quote that csv would eat
    assert "The crêpe was delicate and thin and moist." in texts


def test_changed_sentence_file_is_refused(data_copy):
    path = data_copy / data.SENTIMENT["yelp"]
    path.write_bytes(path.read_bytes().replace(b"\t1\n", b"\t0\n", 1))
    with pytest.raises(data.DataIntegrityError, match="does not match its recorded checksum"):
        data.load_sentences(data_copy)


def test_read_sentences_splits_on_the_last_tab(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text('a "tab\there\t1\r\nplain\t0\n', encoding="utf-8")
    frame = data.read_sentences(path, "test")
    assert frame.values.tolist() == [['a "tab\there', 1, "test"], ["plain", 0, "test"]]


@pytest.mark.parametrize("line", ["no label here", "sentence\t2", "\t1"])
def test_read_sentences_names_the_bad_line(tmp_path, line):
    path = tmp_path / "s.txt"
    path.write_text(f"fine\t1\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: expected 'sentence<TAB>0'"):
        data.read_sentences(path, "test")
