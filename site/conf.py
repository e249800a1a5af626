"""Sphinx configuration of the course site (built by ``python -m coursekit.site``, `make site`).

The pages are the committed notebooks, shown with their stored outputs (CI already proves
those outputs are current, so nothing is executed here). The repository address comes from
``pyproject.toml`` through `coursekit.links`, like the README's Binder links.
"""

from coursekit.links import course

COURSE = course()

project = "ML in Production"
author = "ML in Production contributors"
extensions = ["myst_nb"]
nb_execution_mode = "off"  # show the stored outputs; CI checks them with nbval
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["image.nonlocal_uri"]  # the README's Binder badge is a remote image
exclude_patterns = ["_build"]

html_theme = "sphinx_book_theme"
html_title = "ML in Production"
html_theme_options = {
    "repository_url": COURSE.url,
    "repository_branch": COURSE.branch,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "launch_buttons": {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    "show_navbar_depth": 1,
    "home_page_in_toc": True,
}
