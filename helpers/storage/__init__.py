"""Chapter 2, serialization and model storage: safe files, formats measured, a model registry.

`artifacts` (atomic writes, recorded sha256, safe loading), `onnx` (export to ONNX and open it in
ONNX Runtime, one way for every caller), `formats` (file formats measured side by side),
`registry` (an MLflow registry with aliases, promotion and rollback).
"""
