import nbformat

from coursekit import hygiene


def write(tmp_path, outputs_text="ok", counts=(1, 2), name="n.ipynb"):
    notebook = nbformat.v4.new_notebook()
    for count in counts:
        cell = nbformat.v4.new_code_cell("print(1)")
        cell.execution_count = count
        if outputs_text:
            cell.outputs = [nbformat.v4.new_output("stream", text=outputs_text)]
        notebook.cells.append(cell)
    path = tmp_path / name
    nbformat.write(notebook, path)
    return path


def test_clean_notebook_has_no_problems(tmp_path):
    assert hygiene.problems(write(tmp_path), expect_outputs=True) == []


def test_out_of_order_counts_are_reported(tmp_path):
    found = hygiene.problems(write(tmp_path, counts=(2, 1)), expect_outputs=True)
    assert "not 1..2 in order" in found[0]


def test_object_ids_and_absolute_paths_are_reported(tmp_path):
    path = write(tmp_path, outputs_text="<Model at 0x7f3a2b1c9d10> saved to /home/ann/m.pt")
    found = " ".join(hygiene.problems(path, expect_outputs=True))
    assert "object id" in found and "absolute path" in found


def test_relative_paths_are_fine(tmp_path):
    path = write(tmp_path, outputs_text="saved to models/run/model.pt and ../data/x.csv")
    assert hygiene.problems(path, expect_outputs=True) == []


def test_lab_with_outputs_is_reported(tmp_path):
    found = hygiene.problems(write(tmp_path), expect_outputs=False)
    assert "a lab must have no outputs" in found[0]


def test_big_notebook_is_reported(tmp_path):
    path = write(tmp_path, outputs_text="x" * (hygiene.MAX_BYTES + 1))
    assert "over the 1 MB limit" in hygiene.problems(path, expect_outputs=True)[0]


def test_paths_in_coloured_tracebacks_are_reported(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("skew.check()", execution_count=1)
    cell.outputs = [nbformat.v4.new_output(
        "error", ename="SkewError", evalue="10 rows differ",
        traceback=["\x1b[36mFile \x1b[39m\x1b[32m/work/main/helpers/skew.py:72\x1b[39m"])]
    notebook.cells = [cell]
    path = tmp_path / "t.ipynb"
    nbformat.write(notebook, path)
    assert "absolute path" in " ".join(hygiene.problems(path, expect_outputs=True))


def test_a_progress_bar_frozen_short_of_the_end_is_reported(tmp_path):
    frozen = write(tmp_path, outputs_text="  0%|          | 0/25 [00:00<?, ?it/s]", name="a.ipynb")
    assert "progress bar" in " ".join(hygiene.problems(frozen, expect_outputs=True))
    done = write(tmp_path, outputs_text="100%|##########| 25/25 [00:03<00:00]", name="b.ipynb")
    assert hygiene.problems(done, expect_outputs=True) == []


def test_a_cell_without_an_id_is_reported(tmp_path):
    path = write(tmp_path)
    text = path.read_text().replace('"id": ', '"old_id": ', 1)
    path.write_text(text)
    assert "have no id" in " ".join(hygiene.problems(path, expect_outputs=True))
