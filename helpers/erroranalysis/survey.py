"""The 1996 American National Election Studies subset that ships with statsmodels (Chapter 7).

944 respondents, their expected vote (0 Clinton, 1 Dole) and nine answers: party
identification, left-right placements of themselves and of both candidates, age, education,
income, TV news and town size. Public domain. Read from the installed statsmodels package and
checked against the sha256 recorded here, so a changed file is refused, not silently used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.hashing import sha256_file

SHA256 = "c124d8556d6f8c4329b1fea61e3dc6891c5e663f15b7fe5791235963420ba896"
FEATURES = ["PID", "selfLR", "ClinLR", "DoleLR", "age", "educ", "income", "TVnews", "logpopul"]
PARTY = {0: "democrat", 1: "democrat", 2: "independent", 3: "independent", 4: "independent",
         5: "republican", 6: "republican"}


def csv_path() -> Path:
    """Where statsmodels keeps the anes96 table."""
    from statsmodels.datasets import anes96

    return Path(anes96.__file__).with_name("anes96.csv")


def load_votes(path: Path | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Features (`FEATURES`) and the 0/1 `vote` (1 = Dole), after checking the file's sha256."""
    path = Path(path) if path is not None else csv_path()
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: reinstall statsmodels "
                                "(pip install -r requirements.txt)")
    if sha256_file(path) != SHA256:
        raise ValueError(f"{path} does not match the recorded sha256 {SHA256[:12]}…: the "
                         "statsmodels copy changed; reinstall the locked version")
    frame = pd.read_csv(path, sep="\t", quotechar="'").astype(float)
    frame["logpopul"] = np.log(frame["popul"] + 0.1)  # as statsmodels derives it
    return frame[FEATURES].copy(), frame["vote"].astype(int).rename("vote")


def party_group(pid: pd.Series) -> pd.Series:
    """Party identification 0..6 as 'democrat', 'independent' (2, 3, 4) or 'republican'."""
    unknown = sorted(set(pid.unique()) - set(PARTY))
    if unknown:
        raise ValueError(f"PID must be 0..6, found {unknown}")
    return pid.map(PARTY).astype("category").rename("party")


def closer_to_dole(features: pd.DataFrame) -> pd.Series:
    """How much closer a respondent places Dole than Clinton to themselves (left-right scale)."""
    to_clinton = (features["selfLR"] - features["ClinLR"]).abs()
    to_dole = (features["selfLR"] - features["DoleLR"]).abs()
    return (to_clinton - to_dole).rename("closer_to_dole")
