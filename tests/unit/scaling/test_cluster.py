"""Batch scoring on a real (two-process) Dask cluster: correct, and complete after a kill."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from helpers.scaling import cluster, launcher


@pytest.fixture(scope="module")
def model_and_parts():
    parts = cluster.Partitions(6, 300, features=5, seed=4)
    x, y = cluster.labelled_sample(parts, 500)
    return LogisticRegression().fit(x, y), parts


def test_partitions_are_the_same_everywhere_and_differ_from_each_other():
    parts = cluster.Partitions(3, 10, seed=1)
    assert np.array_equal(parts.make(2), cluster.Partitions(3, 10, seed=1).make(2))
    assert not np.array_equal(parts.make(0), parts.make(1))
    with pytest.raises(IndexError, match="does not exist"):
        parts.make(3)
    with pytest.raises(ValueError, match="count >= 1"):
        cluster.Partitions(0, 10)


def test_same_results_notices_a_missing_or_changed_partition(model_and_parts):
    model, parts = model_and_parts
    reference = cluster.score_in_process(model, parts)
    assert cluster.same_results(reference, list(reference))
    assert not cluster.same_results(reference[:-1], reference)
    changed = [*reference[:-1], (reference[-1][0], reference[-1][1] + 1, reference[-1][2])]
    assert not cluster.same_results(changed, reference)


def test_cluster_scores_correctly_and_survives_a_killed_worker(model_and_parts):
    model, parts = model_and_parts
    reference = cluster.score_in_process(model, parts)
    with cluster.local_cluster(2, memory_limit="600MB") as client:
        pids = set(cluster.worker_pids(client).values())
        assert len(pids) == 2
        cluster.warm_up(client, ("sklearn.linear_model",))
        for scatter in (True, False):
            _, results = cluster.rows_per_second(client, model, parts, scatter=scatter)
            assert cluster.same_results(results, reference)
        one = sorted(cluster.worker_pids(client))[:1]
        assert cluster.same_results(cluster.rows_per_second(client, model, parts,
                                                            workers=one)[1], reference)
        job = cluster.submit_all(client, model, parts)
        killed = cluster.kill_one_worker(client, job, after=1)
        assert killed in pids
        assert cluster.same_results(cluster.gather_in_order(client, job), reference)
    assert not {p.pid for p in launcher.live_children()} & pids
