"""The serving image runs what `helpers.service.launch` and `process.start` run."""

import json

from coursekit.paths import ROOT
from helpers.service import process


def image_command() -> list[str]:
    text = (ROOT / "deploy/serving.Dockerfile").read_text()
    cmd = text[text.rindex("\nCMD ") + 5:].replace("\\\n", " ")
    return json.loads(cmd.strip())


def test_the_image_starts_uvicorn_through_launch_with_torch_hidden():
    command = image_command()
    assert command[:3] == ["python", "-m", "helpers.service.launch"]
    assert process.APP in command


def test_the_image_has_the_same_connection_limits_as_the_course_server():
    command = " ".join(image_command())
    assert " ".join(process.LIMITS) in command
