"""A model-serving service (Chapter 3): FastAPI app, micro-batching, real uvicorn processes.

One concept per module: `settings` (configuration from environment variables), `schemas`
(request and response models), `security` (API key, body size limit), `backends`
(scikit-learn or ONNX Runtime), `batching` (dynamic micro-batching), `store` (versions,
aliases, hot swap), `app` (the FastAPI factory), `process` (start and stop a real server),
`launch` (uvicorn's command line, with unneeded modules hidden), `traffic` (steady client
load, simultaneous calls, an open-loop burst), `memory` (an in-memory registry for tests and
labs), `naive` (a widely shared tutorial's app, faults included), `locustfile`
and `bench` (the locust load benchmark). Nothing runs at import time.
"""
