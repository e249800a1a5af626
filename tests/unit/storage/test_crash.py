"""A real process killed with SIGKILL: what an in-place write, an atomic write and a
TemporaryDirectory leave behind (the module runs as a script, as the notebook uses it)."""

import shutil
import subprocess
import sys

from helpers import hashing
from helpers.storage import artifacts, crash


def test_a_naive_write_killed_midway_destroys_the_old_file(tmp_path):
    target = tmp_path / "model.bin"
    old = b"x" * 10_000
    target.write_bytes(old)
    code = crash.kill_during_write(target, atomic=False, chunks=40, chunk_bytes=4096)
    assert code == -9
    assert target.read_bytes() != old


def test_an_atomic_write_killed_midway_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "model.bin"
    old_digest = artifacts.atomic_write_bytes(target, b"x" * 10_000)
    artifacts.record_sha256(target)
    code = crash.kill_during_write(target, atomic=True, chunks=40, chunk_bytes=4096)
    assert code == -9
    assert hashing.sha256_file(target) == old_digest
    assert artifacts.read_verified(target) == b"x" * 10_000
    assert len(artifacts.stale_temp_files(tmp_path)) == 1  # the killed writer's leftover


def test_the_script_finishes_a_write_nobody_kills(tmp_path):
    target = tmp_path / "model.bin"
    command = [sys.executable, "-m", "helpers.storage.crash", "write", str(target),
               "--chunks=3", "--chunk-bytes=10", "--pause=0", "--atomic"]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == crash.STARTED
    assert target.read_bytes() == bytes([0]) * 10 + bytes([1]) * 10 + bytes([2]) * 10


def test_a_temporary_directory_is_removed_on_a_clean_exit_only(tmp_path):
    clean, clean_code = crash.hold_model(b"model bytes", tmp_path, kill=False)
    assert clean_code == 0 and not clean.exists()
    killed, killed_code = crash.hold_model(b"model bytes", tmp_path, kill=True)
    try:
        assert killed_code == -9
        assert (killed / "model.skops").read_bytes() == b"model bytes"  # left behind
    finally:
        shutil.rmtree(killed, ignore_errors=True)
    assert artifacts.read_verified(tmp_path / "model.skops") == b"model bytes"  # permanent copy
