"""Every public address of the course comes from one setting, and every Binder link opens a file
that exists."""

import re
import runpy

import yaml

from coursekit import links, site
from coursekit.paths import ROOT, lectures


def test_readme_binder_links_use_the_configured_repository_and_open_real_files():
    course = links.course()
    found = links.binder_links((ROOT / "README.md").read_text())
    assert len(found) >= 2, "the README has no Binder links"
    for repository, branch, urlpath in found:
        assert (repository, branch) == (course.repository, course.branch), (
            f"a Binder link points at {repository}@{branch}, not {course.repository}@"
            f"{course.branch} from pyproject.toml: run `make links`")
        assert urlpath.startswith("lab/tree/"), urlpath
        assert (ROOT / urlpath.removeprefix("lab/tree/")).is_file(), f"{urlpath} does not exist"


def test_the_site_takes_its_repository_from_the_same_setting():
    conf = runpy.run_path(str(ROOT / "site" / "conf.py"))
    options = conf["html_theme_options"]
    assert options["repository_url"] == links.course().url
    assert options["repository_branch"] == links.course().branch
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_readme_site_links_use_the_configured_site_one_per_chapter():
    course = links.course()
    found = links.site_links((ROOT / "README.md").read_text())
    assert sorted(stem for _, stem in found) == [lecture.stem for lecture in lectures()], (
        "each chapter's row in the README needs one site link")
    wrong = [address for address, _ in found if address != course.site]
    assert not wrong, f"site links point at {set(wrong)}, not {course.site}: run `make links`"


def test_the_pages_workflow_builds_the_site_from_locked_packages():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "python -m coursekit.site" in commands
    install = next(line for line in commands.splitlines() if "pip install" in line
                   and "-c requirements.txt" in line)
    locked = {re.split(r"==", line)[0].lower() for line in
              (ROOT / "requirements.txt").read_text().splitlines() if "==" in line}
    wanted = [word for word in install.split()[install.split().index("requirements.txt") + 1:]]
    assert wanted and all(name.lower() in locked for name in wanted), wanted
    uploaded = [step["with"]["path"] for step in steps
                if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert uploaded == [str(site.OUT.relative_to(ROOT))], uploaded
