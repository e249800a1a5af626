"""The election-study loader checks its file and builds the chapter's groups and feature."""

import pandas as pd
import pytest

from helpers.erroranalysis import survey


def test_load_votes_gives_944_respondents_and_a_binary_vote():
    features, vote = survey.load_votes()
    assert features.shape == (944, len(survey.FEATURES))
    assert list(features.columns) == survey.FEATURES
    assert set(vote.unique()) == {0, 1} and vote.sum() == 393


def test_a_changed_file_is_refused(tmp_path):
    changed = tmp_path / "anes96.csv"
    changed.write_bytes(survey.csv_path().read_bytes() + b"\n")
    with pytest.raises(ValueError, match="does not match the recorded sha256"):
        survey.load_votes(changed)
    with pytest.raises(FileNotFoundError, match="reinstall statsmodels"):
        survey.load_votes(tmp_path / "missing.csv")


def test_party_groups_and_a_bad_code():
    groups = survey.party_group(pd.Series([0, 1, 2, 3, 4, 5, 6]))
    assert groups.tolist() == ["democrat"] * 2 + ["independent"] * 3 + ["republican"] * 2
    with pytest.raises(ValueError, match=r"PID must be 0\.\.6"):
        survey.party_group(pd.Series([7]))


def test_closer_to_dole_is_positive_when_dole_is_nearer():
    frame = pd.DataFrame({"selfLR": [6, 2, 4], "ClinLR": [2, 2, 3], "DoleLR": [6, 6, 5]})
    assert survey.closer_to_dole(frame).tolist() == [4, -4, 0]
