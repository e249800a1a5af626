import pytest

from coursekit import links

TEXT = ("[![Binder](https://mybinder.org/badge_logo.svg)]"
        "(https://mybinder.org/v2/gh/old/course/main?urlpath=lab/tree/README.md) and "
        "[lab](https://mybinder.org/v2/gh/old/course/main?urlpath=lab/tree/labs/01_x_lab.ipynb)")


def test_rewrite_points_every_link_at_a_fork_and_keeps_each_path():
    fork = links.Course("ann/ml-course", "spring")
    rewritten = links.rewrite(TEXT, fork)
    assert links.binder_links(rewritten) == [
        ("ann/ml-course", "spring", "lab/tree/README.md"),
        ("ann/ml-course", "spring", "lab/tree/labs/01_x_lab.ipynb"),
    ]
    assert "badge_logo.svg" in rewritten


def test_the_repository_setting_must_be_a_github_address(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project.urls]\nRepository = "https://gitlab.com/a/b"\n'
                         '[tool.coursekit]\nbranch = "main"\n')
    with pytest.raises(ValueError, match=r"https://github\.com/OWNER/NAME"):
        links.course(pyproject)
    pyproject.write_text('[project.urls]\nRepository = "https://github.com/a/b"\n'
                         'Documentation = "https://a.github.io/b/"\n'
                         '[tool.coursekit]\nbranch = "main"\n')
    assert links.course(pyproject).binder("README.md") == (
        "https://mybinder.org/v2/gh/a/b/main?urlpath=lab/tree/README.md")


def test_the_site_setting_must_be_an_address_ending_in_a_slash(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    for site in ('', 'Documentation = "https://a.github.io/b"\n'):
        pyproject.write_text('[project.urls]\nRepository = "https://github.com/a/b"\n' + site
                             + '[tool.coursekit]\nbranch = "main"\n')
        with pytest.raises(ValueError, match="Documentation"):
            links.course(pyproject)


def test_rewrite_points_site_links_at_the_new_site_and_keeps_each_chapter():
    text = "[site](https://old.github.io/course/chapters/03_serving.html) and [x](https://e.org)"
    fork = links.Course("ann/ml-course", "spring", "https://ann.github.io/ml-course/")
    rewritten = links.rewrite(text, fork)
    assert links.site_links(rewritten) == [("https://ann.github.io/ml-course/", "03_serving")]
    assert "[x](https://e.org)" in rewritten
