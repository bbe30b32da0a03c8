"""The build keeps each data file's YAML parse in ``.cache/``: a rebuild after one changed
source parses only that source's files, and its outputs are those of a clean build."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from graph import api, buildcache, yamlio
from graph.buildset import CACHE_DIR
from graph.errors import InvalidRecords
from graph.synth_records import write_records


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_records(tmp_path / "data", 60, 120, seed=1, claims_per_source=20)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files whose YAML is parsed (not read from the cache), in order."""
    seen: list[Path] = []
    real = yamlio.parse_yaml

    def parse(text: str, path: Path) -> object:
        seen.append(Path(path))
        return real(text, path)

    monkeypatch.setattr(yamlio, "parse_yaml", parse)
    return seen


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def add_claim(data: Path) -> Path:
    """One more claim in the first source: its first claim, quoting less of the sentence."""
    path = sorted((data / "sources").iterdir())[0] / "claims.yaml"
    claims = path.read_text(encoding="utf-8")
    first = claims.split("\n- ", 1)[1].split("\n\n", 1)[0].rstrip("\n")
    assert first.endswith('."'), first
    path.write_text(claims + "\n- " + first[:-2] + '"\n', encoding="utf-8")
    return path


def yaml_files(data: Path) -> list[Path]:
    return sorted([*data.glob("entities/*.yaml"), *data.glob("sources/*/*.yaml")])


def test_a_rebuild_parses_only_the_changed_file_and_equals_a_clean_build(
    data: Path, tmp_path: Path, parsed: list[Path]
) -> None:
    out = tmp_path / "out"
    first = api.build(data, out)
    assert sorted(parsed) == yaml_files(data)  # the first build parses everything
    parsed.clear()
    changed = add_claim(data)
    again = api.build(data, out)
    assert parsed == [changed]
    assert len(again.dataset.claims) == len(first.dataset.claims) + 1
    parsed.clear()
    clean = api.build(data, tmp_path / "clean")
    assert sorted(parsed) == yaml_files(data)  # a new folder has no cache
    assert outputs(out) == outputs(tmp_path / "clean")
    assert len(clean.graph) == len(again.graph)


def test_a_stale_entry_is_not_used_after_an_edit(
    data: Path, tmp_path: Path, parsed: list[Path]
) -> None:
    """An edited file is parsed again even when an entry of its old bytes is kept; an
    edit back to the old bytes reads that entry, and unused entries are dropped."""
    out = tmp_path / "out"
    api.build(data, out)
    entries = out / CACHE_DIR / f"yaml-{buildcache.code_digest()}"
    before = sorted(p.name for p in entries.iterdir())
    assert len(before) == len(yaml_files(data))
    path = add_claim(data)
    old_bytes = path.read_bytes()
    parsed.clear()
    result = api.build(data, out)
    assert parsed == [path]
    quotes = {c.quote for c in result.dataset.claims if c.where.path == path}
    assert any(not q.endswith(".") for q in quotes)  # the new claim came from the new parse
    after = sorted(p.name for p in entries.iterdir())
    assert len(after) == len(before) and after != before  # old entry replaced, not kept
    path.write_bytes(old_bytes + b"# a comment: the same records, other bytes\n")
    parsed.clear()
    api.build(data, out)
    assert parsed == [path]


def test_entries_of_another_parser_version_are_dropped(
    data: Path, tmp_path: Path, parsed: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    monkeypatch.setattr(buildcache, "code_digest", lambda: "another-parser")
    parsed.clear()
    api.build(data, out)
    assert sorted(parsed) == yaml_files(data)  # nothing read from the old parser's entries
    assert [p.name for p in (out / CACHE_DIR).iterdir()] == ["yaml-another-parser"]


class _Shell:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.system, ("touch pwned",))


def test_a_tampered_entry_is_parsed_again_not_unpickled(
    data: Path, tmp_path: Path, parsed: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    entries = out / CACHE_DIR / f"yaml-{buildcache.code_digest()}"
    victim = next(entries.iterdir())
    victim.write_bytes(pickle.dumps(_Shell()))
    other = sorted(p for p in entries.iterdir() if p != victim)[0]
    other.write_bytes(other.read_bytes()[:-10])  # truncated
    monkeypatch.chdir(tmp_path)
    parsed.clear()
    api.build(data, out)
    assert len(parsed) == 2
    assert not (tmp_path / "pwned").exists()
    api.build(data, tmp_path / "clean")
    assert outputs(out) == outputs(tmp_path / "clean")
    parsed.clear()
    api.build(data, out)
    assert parsed == []  # both entries were written again


def test_a_file_that_does_not_parse_is_not_kept_and_fails_the_same(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    path = yaml_files(data)[-1]
    path.write_text(path.read_text(encoding="utf-8") + "\n- [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidRecords) as cached:
        api.build(data, out)
    with pytest.raises(InvalidRecords) as clean:
        api.build(data, tmp_path / "clean")
    assert str(cached.value) == str(clean.value)
    assert f"{path.name}" in str(cached.value)
    key_files = sorted(p.name for p in (out / CACHE_DIR).rglob("*.pickle"))
    assert len(key_files) == len(yaml_files(data))  # the failed build left the cache as it was


def test_other_caches_in_the_cache_folder_stay(data: Path, tmp_path: Path) -> None:
    """The query index keeps its tables in .cache/ too: a build leaves them alone."""
    out = tmp_path / "out"
    api.build(data, out)
    other = out / CACHE_DIR / "query-index.sqlite"
    other.write_bytes(b"tables of another cache")
    add_claim(data)
    api.build(data, out)
    assert other.read_bytes() == b"tables of another cache"
