from helpers import progress


def test_unattended_reads_the_variable_ci_sets():
    assert progress.unattended({"TQDM_DISABLE": "1"})
    assert not progress.unattended({})
    assert not progress.unattended({"TQDM_DISABLE": "0"})


def test_the_bar_is_off_in_unattended_runs_and_counts_otherwise(monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    quiet = progress.bar(range(3))
    assert quiet.disable and list(quiet) == [0, 1, 2]
    monkeypatch.delenv("TQDM_DISABLE")
    shown = progress.bar(range(3), file=open("/dev/null", "w"))  # noqa: SIM115
    assert not shown.disable and list(shown) == [0, 1, 2]
