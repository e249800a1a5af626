"""What a process killed with SIGKILL leaves on disk (Chapter 2): run for real, not simulated.

Run as a script, this module is the process that gets killed:

    python -m helpers.storage.crash write PATH [--atomic]   # overwrite PATH chunk by chunk
    python -m helpers.storage.crash hold FOLDER [--wait]    # model bytes from stdin: keep one
                                                            # copy in a TemporaryDirectory, one
                                                            # in FOLDER (sha256 recorded)

Each prints a line once it has done the part that matters, then (with pauses or `--wait`)
gives the parent time to kill it. `kill_during_write` and `hold_model` are the parent's side.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from helpers.storage import artifacts

STARTED = "started"
WAIT_LIMIT_S = 60.0  # a `hold --wait` child that nobody kills exits on its own after this


def slow_write(path: str | Path, chunks: int, chunk_bytes: int, pause: float, atomic: bool) -> None:
    """Write `chunks` chunks of one byte value with pauses, saying STARTED after the first."""

    def generate() -> Iterable[bytes]:
        for index in range(chunks):
            yield bytes([index % 251]) * chunk_bytes
            if index == 0:
                print(STARTED, flush=True)
            time.sleep(pause)

    if atomic:
        artifacts.atomic_write_chunks(path, generate())
        return
    with Path(path).open("wb") as handle:  # the naive way: truncates the old file at once
        for chunk in generate():
            handle.write(chunk)
            handle.flush()


def hold(model_bytes: bytes, folder: str | Path, wait: bool) -> None:
    """Save `model_bytes` in a TemporaryDirectory and in `folder`; print the temporary folder."""
    scratch = tempfile.TemporaryDirectory(prefix="held-model-")  # removed when cleaned up
    artifacts.atomic_write_bytes(Path(scratch.name) / "model.skops", model_bytes)
    permanent = Path(folder) / "model.skops"
    artifacts.record_sha256(permanent, artifacts.atomic_write_bytes(permanent, model_bytes))
    print(scratch.name, flush=True)
    if wait:
        time.sleep(WAIT_LIMIT_S)  # a real job would be working here when it is killed


def _run(args: Sequence[str], stdin: bytes = b"", kill: bool = True) -> tuple[str, int]:
    """Run this module as a child; after its first line, SIGKILL it (or let it finish)."""
    child = subprocess.Popen([sys.executable, "-m", "helpers.storage.crash", *args],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        child.stdin.write(stdin)
        child.stdin.close()
        line = child.stdout.readline().decode().strip()
        if kill:
            child.send_signal(signal.SIGKILL)
        return line, child.wait(timeout=WAIT_LIMIT_S + 30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def kill_during_write(
    path: str | Path, atomic: bool, chunks: int = 50, chunk_bytes: int = 1 << 16,
    pause: float = 0.05,
) -> int:
    """Start a real process that overwrites `path`, SIGKILL it mid-write; return its exit code."""
    args = ["write", str(path), f"--chunks={chunks}", f"--chunk-bytes={chunk_bytes}",
            f"--pause={pause}", *(["--atomic"] if atomic else [])]
    line, code = _run(args)
    if line != STARTED:
        raise RuntimeError(f"the writer process did not start writing (it said {line!r})")
    return code


def hold_model(model_bytes: bytes, folder: str | Path, kill: bool) -> tuple[Path, int]:
    """A real process saves the model in a TemporaryDirectory and in `folder`, then exits or is
    SIGKILLed (`kill`); return its temporary folder (gone or not) and its exit code.
    """
    line, code = _run(["hold", str(folder), *(["--wait"] if kill else [])], model_bytes, kill)
    if not line:
        raise RuntimeError("the holding process died before saving the model")
    return Path(line), code


def main(argv: Sequence[str] | None = None) -> None:
    """The child's side: `write PATH` or `hold FOLDER` (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m helpers.storage.crash")
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="overwrite PATH slowly, chunk by chunk")
    write.add_argument("path")
    write.add_argument("--chunks", type=int, default=50)
    write.add_argument("--chunk-bytes", type=int, default=1 << 16)
    write.add_argument("--pause", type=float, default=0.05)
    write.add_argument("--atomic", action="store_true")
    keep = commands.add_parser("hold", help="save stdin's model bytes in a temp and a folder")
    keep.add_argument("folder")
    keep.add_argument("--wait", action="store_true", help="then wait to be killed")
    args = parser.parse_args(argv)
    if args.command == "write":
        slow_write(args.path, args.chunks, args.chunk_bytes, args.pause, args.atomic)
    else:
        hold(sys.stdin.buffer.read(), args.folder, args.wait)


if __name__ == "__main__":
    main()
