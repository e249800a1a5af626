"""Chapter 4, scaling: spread a model's work over processes, and plan capacity beyond them.

One concept per module: `cluster` (batch inference on a Dask cluster: partitions, a broadcast
model, a worker killed mid-job), `launcher` (start a `torchrun` job from a notebook, check that
no process is left), `ddp` (data-parallel training with DistributedDataParallel and the
single-process run it must equal), `pipeline` (a model split across two ranks, activations
sent between them), `jobs` (the module `torchrun` runs: both jobs in one launch), `replicas`
(the Chapter 3 service with several uvicorn workers: throughput and memory per replica) and
`capacity` (queueing formulas and a discrete-event simulation: p99 against load, replicas,
batching, autoscaling). Nothing runs at import time; torch, dask and the simulation library
load inside the functions that use them.
"""
