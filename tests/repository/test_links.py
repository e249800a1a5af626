"""Every public address of the course comes from one setting, and every Binder link opens a file
that exists."""

import runpy

from coursekit import links
from coursekit.paths import ROOT


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
