from pathlib import Path

from wfscc.build.publish import publish, recover


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _make(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_publish_replaces_the_previous_output_whole(tmp_path):
    out = _make(tmp_path / "_book", {"index.html": "old", "gone.html": "old"})
    staging = _make(tmp_path / "staging" / "site", {"index.html": "new", "a/b.html": "new"})
    publish(staging, out)
    assert _tree(out) == {"index.html": b"new", "a/b.html": b"new"}
    assert not staging.exists()
    assert not (tmp_path / "_book.previous").exists()


def test_publish_into_a_new_folder(tmp_path):
    staging = _make(tmp_path / "staging", {"index.html": "new"})
    publish(staging, tmp_path / "deep" / "_book")
    assert _tree(tmp_path / "deep" / "_book") == {"index.html": b"new"}


def test_recover_restores_output_after_a_swap_interrupted_between_renames(tmp_path):
    out = tmp_path / "_book"
    previous = _make(tmp_path / "_book.previous", {"index.html": "published"})
    assert not out.exists()
    recover(out)
    assert _tree(out) == {"index.html": b"published"}
    assert not previous.exists()


def test_recover_drops_leftover_previous_when_the_swap_completed(tmp_path):
    out = _make(tmp_path / "_book", {"index.html": "new"})
    _make(tmp_path / "_book.previous", {"index.html": "old"})
    recover(out)
    assert _tree(out) == {"index.html": b"new"}
    assert not (tmp_path / "_book.previous").exists()
