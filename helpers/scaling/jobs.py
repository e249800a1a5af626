"""The module `torchrun` starts on every rank: DDP training, its timing, and the pipeline.

``python -m torch.distributed.run --standalone --nproc_per_node=2 -m helpers.scaling.jobs
--out DIR`` runs all three in one launch (each launch costs seconds of start-up per rank) and
writes the weights, the pipeline's outputs and ``result.json`` into DIR, from rank 0.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The job's options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the results")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--widths", type=int, nargs="*", default=[16, 256],
                        help="hidden widths whose epoch time is measured")
    parser.add_argument("--timing-rows", type=int, default=2048)
    parser.add_argument("--pipeline-layers", type=int, default=6)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Join the process group (gloo), run the jobs, write the results, leave the group."""
    import torch
    import torch.distributed as dist

    from helpers.scaling import ddp, pipeline

    args = parse(argv)
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    try:
        setup = ddp.Setup(epochs=args.epochs, seed=args.seed)
        model, _ = ddp.train_ranks(setup)
        torch.save(model.state_dict(), args.out / f"ddp_rank{rank}.pt")
        timing = {}
        for width in args.widths:
            timed = replace(setup, hidden=width, rows=args.timing_rows, epochs=2)
            timing[width] = ddp.train_ranks(timed)[1][-1]  # the second epoch: warm
        whole = pipeline.make_model(setup.features, 64, args.pipeline_layers, args.seed)
        x = torch.randn(256, setup.features, generator=torch.Generator().manual_seed(args.seed))
        outputs = pipeline.run_stage(whole, x, micro_batches=8)
        stage_params = [None] * dist.get_world_size()
        dist.all_gather_object(stage_params, pipeline.parameters(pipeline.split(whole)[rank]))
        if rank == 0:
            torch.save(outputs, args.out / "pipeline_outputs.pt")
            result = {"world": dist.get_world_size(), "epoch_seconds": timing,
                      "stage_parameters": stage_params}
            (args.out / "result.json").write_text(json.dumps(result))
    finally:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
