"""Chapter 2, serialization and model storage: safe files, formats measured, a model registry.

`artifacts` (atomic writes, recorded sha256, safe loading), `crash` (what a killed process
leaves on disk; runs as a script), `serializers` (how each file format writes and reads),
`formats` (the formats measured side by side), `onnx` (export to ONNX and open it in ONNX
Runtime, one way for every caller), `registry` (an MLflow registry with aliases, promotion and
rollback), `promotion` (promote a challenger only when a paired interval clears a margin).
"""
