"""DDP equals one process with the same global batch; the split model equals the whole one."""

import json

import pytest
import torch

from helpers.scaling import ddp, launcher, pipeline


def test_global_batches_are_the_union_of_the_rank_shards():
    setup = ddp.Setup(rows=64, per_rank=4, seed=2)
    batches = ddp.global_batches(setup, world=2, epoch=0)
    assert len(batches) == 64 // (2 * 4)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(64))  # every row once per epoch
    assert ddp.global_batches(setup, 2, 1) != batches  # a new order each epoch


def test_forgetting_set_epoch_repeats_the_order():
    assert ddp.rank_order(32, 2, 1, 0, 0, set_epoch=False) == \
        ddp.rank_order(32, 2, 1, 5, 0, set_epoch=False)
    assert ddp.rank_order(32, 2, 1, 0, 0) != ddp.rank_order(32, 2, 1, 5, 0)


def test_rows_that_do_not_fill_the_batches_are_a_clear_error():
    with pytest.raises(ValueError, match="multiple of world"):
        ddp.train_single(ddp.Setup(rows=100, per_rank=8), world=2)


def test_split_covers_every_layer_once():
    model = pipeline.make_model(4, 8, 3, seed=0)
    stages = pipeline.split(model, 2)
    assert sum(pipeline.parameters(s) for s in stages) == pipeline.parameters(model)
    x = torch.randn(5, 4)
    with torch.no_grad():
        assert torch.equal(stages[1](stages[0](x)), model(x))
    with pytest.raises(ValueError, match="cannot split"):
        pipeline.split(model, 99)


def test_torchrun_job_matches_one_process(tmp_path):
    args = ["--out", str(tmp_path), "--epochs", "2", "--widths", "8", "--timing-rows", "256"]
    launcher.run("helpers.scaling.jobs", 2, args, tmp_path / "log.txt", timeout=240)
    assert launcher.live_children() == []
    setup = ddp.Setup(epochs=2)
    single, _ = ddp.train_single(setup, world=2)
    ranks = []
    for rank in range(2):
        model = ddp.make_model(setup)
        model.load_state_dict(torch.load(tmp_path / f"ddp_rank{rank}.pt", weights_only=True))
        ranks.append(model)
    assert ddp.max_weight_difference(single, ranks[0]) < 1e-5
    assert ddp.max_weight_difference(ranks[0], ranks[1]) == 0.0
    whole = pipeline.make_model(setup.features, 64, 6, 0)
    x = torch.randn(256, setup.features, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected = whole(x)
    assert torch.allclose(torch.load(tmp_path / "pipeline_outputs.pt"), expected, atol=1e-6)
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["world"] == 2 and set(result["epoch_seconds"]) == {"8"}


def test_a_failing_job_reports_its_log(tmp_path):
    with pytest.raises(RuntimeError, match="failed with exit code"):
        launcher.run("helpers.scaling.jobs", 1, ["--out", str(tmp_path / "missing")],
                     tmp_path / "log.txt", timeout=120)
    with pytest.raises(ValueError, match="nproc"):
        launcher.torchrun_command("x", 0, [])
