import nbformat
import pytest

from coursekit import labgen


def solution_notebook(*cells):
    notebook = nbformat.v4.new_notebook()
    for kind, source in cells:
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source))
    return notebook


def test_solution_region_becomes_a_named_stub_keeping_indentation():
    notebook = solution_notebook(
        ("md", "## Exercise 2: build the manifest"),
        ("code", "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n"
                 "    ### END SOLUTION\n\nprint(f)"),
    )
    lab = labgen.make_lab(notebook)
    assert lab.cells[1].source == (
        "def f(x):\n"
        '    raise NotImplementedError("Exercise 2: build the manifest '
        '(replace this line with your code)")\n\nprint(f)'
    )


def test_outputs_and_counts_are_dropped_and_ids_kept():
    notebook = solution_notebook(("md", "# Exercise 1: x"), ("code", "### BEGIN SOLUTION\n1\n"
                                                             "### END SOLUTION"))
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="1")]
    notebook.cells[1].execution_count = 3
    lab = labgen.make_lab(notebook)
    assert lab.cells[1].outputs == [] and lab.cells[1].execution_count is None
    assert [c.id for c in lab.cells] == [c.id for c in notebook.cells]


def test_same_solution_renders_byte_identical_labs():
    notebook = solution_notebook(("md", "## Exercise 1: x"),
                                 ("code", "### BEGIN SOLUTION\n1\n### END SOLUTION"))
    first = labgen.render(labgen.make_lab(notebook))
    assert first == labgen.render(labgen.make_lab(notebook))


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([("code", "### BEGIN SOLUTION\n1\n### END SOLUTION")], "before any '## Exercise"),
        ([("md", "## Exercise 1: x"), ("code", "### BEGIN SOLUTION\n1")], "never closed"),
        ([("md", "## Exercise 1: x"), ("code", "1\n### END SOLUTION")], "without"),
        ([("md", "## Exercise 1: x"),
          ("code", "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION")], "nested"),
        ([("md", "## Exercise 1: x"), ("code", "1")], "no '### BEGIN SOLUTION' region"),
    ],
)
def test_malformed_markers_name_the_problem(cells, message):
    with pytest.raises(labgen.LabSourceError, match=message):
        labgen.make_lab(solution_notebook(*cells), "sol.ipynb")


def test_check_mode_reports_stale_labs_without_writing(tmp_path):
    solutions, labs = tmp_path / "solutions", tmp_path / "labs"
    solutions.mkdir()
    notebook = solution_notebook(("md", "## Exercise 1: x"),
                                 ("code", "### BEGIN SOLUTION\n1\n### END SOLUTION"))
    nbformat.write(notebook, solutions / "01_x_lab.ipynb")
    written = [solutions / "01_x_lab.ipynb", labs / "01_x_lab.ipynb"]  # metadata, then the lab
    assert labgen.generate(solutions, labs, check=True) == written
    assert not labs.exists()
    assert labgen.generate(solutions, labs) == written
    assert labgen.generate(solutions, labs, check=True) == []
    notebook.cells[1].source = "### BEGIN SOLUTION\n2\n### END SOLUTION\nprint('new')"
    nbformat.write(notebook, solutions / "01_x_lab.ipynb")
    assert labgen.main(["--solutions", str(solutions), "--labs", str(labs), "--check"]) == 1
