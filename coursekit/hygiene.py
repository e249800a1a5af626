"""Checks that committed notebooks are clean: small, in order, no ids, paths or frozen bars."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

MAX_BYTES = 1_000_000
OBJECT_ID = re.compile(r" at 0x[0-9a-fA-F]{6,}")
ABSOLUTE_PATH = re.compile(
    r"(?<![\w.])(/home/|/root/|/tmp/|/Users/|/work/|/private/var/|/opt/|/usr/|/var/|[A-Z]:\\)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours in tracebacks; strip before looking for paths
PROGRESS = re.compile(r"(\d+)%\|")  # a tqdm bar, e.g. " 40%|####      | 4/10"


def _output_texts(cell: dict) -> Iterator[str]:
    """Every text an output of a code cell shows (stream, plain text, html, errors)."""
    for output in cell.get("outputs", []):
        if "text" in output:
            yield "".join(output["text"])
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                yield value if isinstance(value, str) else json.dumps(value)
        yield ANSI.sub("", "\n".join(output.get("traceback", [])))


def problems(path: Path, expect_outputs: bool) -> list[str]:
    """What is wrong with one notebook file (an empty list when it is clean)."""
    found = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        found.append(f"{path}: {size / 1e6:.2f} MB, over the 1 MB limit (shrink figures/outputs)")
    notebook = json.loads(path.read_text())
    missing_ids = [index for index, cell in enumerate(notebook["cells"]) if not cell.get("id")]
    if missing_ids:
        found.append(f"{path}: cells {missing_ids} have no id (nbformat 4.5 needs one): "
                     "run nbformat.validator.normalize, or re-save the notebook in JupyterLab")
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    counts = [cell.get("execution_count") for cell in code]
    if expect_outputs:
        if counts != list(range(1, len(code) + 1)):
            found.append(f"{path}: execution counts are {counts}, not 1..{len(code)} in order; "
                         "re-run it with `python -m coursekit.execute`")
    elif any(counts) or any(cell.get("outputs") for cell in code):
        found.append(f"{path}: a lab must have no outputs or execution counts")
    for index, cell in enumerate(code):
        for text in _output_texts(cell):
            if OBJECT_ID.search(text):
                found.append(f"{path}, cell {index}: an object id (' at 0x...') in the output")
            if ABSOLUTE_PATH.search(text):
                found.append(f"{path}, cell {index}: an absolute path in the output (tracebacks "
                             "included: `%xmode Minimal` before an intentional error hides them)")
            if any(int(done) != 100 for done in PROGRESS.findall(text)):
                found.append(f"{path}, cell {index}: a progress bar stopped short of 100 % "
                             "(a widget's state is not saved): pass `disable=None` or leave "
                             "the bar out of committed outputs")
    return found


def check_tree(folders: Iterable[Path]) -> list[str]:
    """Problems of every notebook below the given folders; labs must have no outputs."""
    found = []
    for folder in folders:
        for path in sorted(folder.glob("*.ipynb")):
            found.extend(problems(path, expect_outputs=folder.name != "labs"))
    return found


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 1 and list the problems when any notebook is unclean."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path,
                        default=[Path("notebooks"), Path("solutions"), Path("labs")])
    found = check_tree(parser.parse_args(argv).folders)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
