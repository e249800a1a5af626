from coursekit import envfile


def test_render_lists_every_pin_under_pip(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("# header\nnumpy==2.4.6\npandas==2.3.3\n")
    text = envfile.render(lock)
    assert "  - python=3.11\n" in text
    assert "      - numpy==2.4.6\n      - pandas==2.3.3\n" in text


def test_check_fails_when_out_of_date(tmp_path, capsys):
    lock, out = tmp_path / "requirements.txt", tmp_path / "environment.yml"
    lock.write_text("numpy==2.4.6\n")
    assert envfile.main(["--lock", str(lock), "--out", str(out)]) == 0
    assert envfile.main(["--lock", str(lock), "--out", str(out), "--check"]) == 0
    lock.write_text("numpy==2.4.7\n")
    assert envfile.main(["--lock", str(lock), "--out", str(out), "--check"]) == 1
    assert "make lock" in capsys.readouterr().err
