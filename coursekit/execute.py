"""Execute notebooks in a fresh kernel and store them clean, so committed outputs are proof.

``python -m coursekit.execute notebooks/01_reproducibility.ipynb`` runs the notebook in its own
folder and writes it back with outputs, execution counts in order and no machine-specific
metadata. nbval in CI then proves the outputs are still what the code produces.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KEPT_NOTEBOOK_METADATA = ("kernelspec", "language_info")
KEPT_CELL_METADATA = ("tags", "nbgrader")  # nbgrader: written by coursekit.labgen


def clean(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop timings, widget state and other metadata that differs between machines."""
    notebook.metadata = {
        key: notebook.metadata[key] for key in KEPT_NOTEBOOK_METADATA if key in notebook.metadata
    }
    if "language_info" in notebook.metadata:
        notebook.metadata["language_info"] = {"name": notebook.metadata["language_info"]["name"]}
    for cell in notebook.cells:
        cell.metadata = {k: cell.metadata[k] for k in KEPT_CELL_METADATA if k in cell.metadata}
    return notebook


def execute(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a new python3 kernel, in the notebook's folder.

    Progress bars are switched off (TQDM_DISABLE, which the kernel inherits): a stored bar is a
    picture of its first frame, frozen at 0 %.
    """
    os.environ["TQDM_DISABLE"] = "1"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    client.execute()
    return clean(notebook)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: execute and rewrite each notebook given."""
    parser = argparse.ArgumentParser(description="Execute notebooks and store them clean.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        start = time.perf_counter()
        notebook = execute(path, args.timeout)
        path.write_text(nbformat.writes(notebook) + "\n")
        print(f"{path}: executed in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
