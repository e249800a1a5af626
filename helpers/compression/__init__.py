"""Chapter 9, compression: quantization, pruning and distillation, measured side by side.

`models` (the wide MLP to compress, its training and cached checkpoint, accuracy), `quantize`
(int8 with PyTorch, torchao and ONNX Runtime, dynamic and static; the CPU's int8 instructions),
`prune` (unstructured magnitude pruning, sparse and compressed sizes, removing whole neurons),
`distill` (soft targets with a temperature, a student trained on a teacher), `measure` (size,
latency and accuracy of every variant in one table, and its Pareto front), `app` (a small
FastAPI app serving ONNX files, checked against their sha256) and `serving` (that app on a
real uvicorn process, started and stopped with Chapter 3's process helpers).
"""
