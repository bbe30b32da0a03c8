"""A build is one set of files: every output parses back, the set is swapped in whole
(even when the build is killed), two builds of the same inputs are identical, readers
notice when the data changed, and no command overwrites a file it did not write."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph import api, buildset
from graph.build import OUTPUTS, check_outputs, serialize_ntriples
from graph.errors import NotBuiltError, OutputError, OverwriteError, StaleBuildError
from graph.files import atomic_writer, clean_temporaries, write_atomic

ROOT = Path(__file__).parents[1]
VALID = ROOT / "tests" / "data" / "valid"
FORMATS = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the small valid data folder."""
    return Path(shutil.copytree(VALID, tmp_path / "data"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> list[Path]:
    """The files of a build folder: its outputs and manifests (not the .cache/ folder)."""
    return [p for p in folder.iterdir() if p.name != buildset.CACHE_DIR]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def check_set(out: Path) -> dict:
    """Assert that ``out`` holds a complete build as its manifest describes; return it."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, info in manifest["outputs"].items():
        blob = (out / name).read_bytes()
        assert len(blob) == info["bytes"], name
        assert hashlib.sha256(blob).hexdigest() == info["sha256"], name
        if Path(name).suffix in FORMATS:
            assert list(pyoxigraph.parse(blob, format=FORMATS[Path(name).suffix])), name
    return manifest


# --- 1. N-Triples and parse-back ---------------------------------------------------------
LINE_BREAKERS = "\x0c\u2028\x1c\x1d\x1e\x85\u2029\x0b"


def break_lines(data: Path) -> str:
    """Put characters that str.splitlines() splits at into a source text and the quotes
    that cite it (a quote spanning a PDF page break); return the new quote."""
    text = data / "sources" / "memo" / "text.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace("MOU between", f"MOU{LINE_BREAKERS}between"),
        encoding="utf-8",
    )
    claims = data / "sources" / "memo" / "claims.yaml"
    escaped = "".join(f"\\u{ord(c):04X}" for c in LINE_BREAKERS)
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(
            "quote: the MOU between the Division of Protection\n",
            f'quote: "the MOU{escaped}between the Division of Protection"\n',
        ),
        encoding="utf-8",
    )
    return f"the MOU{LINE_BREAKERS}between the Division of Protection"


def test_line_breaking_characters_in_a_quote_build_a_parseable_ntriples(
    data: Path, tmp_path: Path
) -> None:
    quote = break_lines(data)
    result = api.build(data, tmp_path / "out")
    nt = (tmp_path / "out" / "alliance.nt").read_bytes()
    triples = len(result.graph)
    assert nt.count(b"\n") == triples  # one line per triple, split at \n only
    assert len(nt.decode("utf-8").splitlines()) == triples  # and nothing else splits it
    assert sum(1 for _ in pyoxigraph.parse(nt, format=pyoxigraph.RdfFormat.N_TRIPLES)) == triples
    parsed = Graph().parse(data=nt, format="nt")
    assert (None, None, Literal(quote)) in parsed
    assert isomorphic(parsed, Graph().parse(tmp_path / "out" / "alliance.ttl", format="turtle"))
    assert isomorphic(parsed, Graph().parse(tmp_path / "out" / "alliance.jsonld", format="json-ld"))


def test_an_output_that_does_not_parse_back_fails_and_keeps_the_previous_build(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    before = {p.name: p.read_bytes() for p in files_in(out)}
    break_lines(data)

    def splitlines_writer(graph: Graph) -> bytes:  # the writer that corrupted builds
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode()

    monkeypatch.setitem(OUTPUTS, "alliance.nt", splitlines_writer)
    with pytest.raises(OutputError, match=r"alliance\.nt: build: .*does not parse back"):
        api.build(data, out)
    assert {p.name: p.read_bytes() for p in files_in(out)} == before
    assert temporaries(tmp_path) == []


def test_check_outputs_counts_triples_and_reads_the_explorer_data() -> None:
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    good = serialize_ntriples(g)
    check_outputs({"alliance.nt": good}, 1)
    with pytest.raises(OutputError, match="parses back to 1 triples, not 2"):
        check_outputs({"alliance.nt": good}, 2)
    page = b'<script type="application/json" id="data">{"nodes": [</script>'
    with pytest.raises(OutputError, match="explorer"):
        check_outputs({"explorer.html": page}, 0)


# --- 2. the set, its manifest, kills ------------------------------------------------------
def test_manifest_lists_every_output_and_the_inputs(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = api.build(data, out)
    manifest = check_set(out)
    written = {p.name for p in files_in(out)} - {"manifest.json", buildset.STAT_CACHE}
    assert set(manifest["outputs"]) == written
    assert {p.name for p in result.outputs} == written | {"manifest.json"}
    files = manifest["inputs"]["files"]
    for path in (data / "entities").glob("*.yaml"):
        assert files[f"data/entities/{path.name}"] == sha256(path)
    assert files["data/sources/memo/text.txt"] == sha256(data / "sources/memo/text.txt")
    assert files["ontology/alliance.ttl"] == sha256(ROOT / "ontology" / "alliance.ttl")
    assert (out / manifest["inputs"]["data"]).resolve() == data.resolve()
    assert manifest["version"] == __import__("graph").__version__


def test_outputs_get_the_umask_mode_not_0600(data: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        api.build(data, tmp_path / "out")
        synth = api.synth(tmp_path / "synth.nt", 200)
        single = write_atomic(tmp_path / "one.txt", b"x")
    finally:
        os.umask(old)
    for path in [*files_in(tmp_path / "out"), synth, single]:
        assert path.stat().st_mode & 0o777 == 0o644, path
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_files_the_build_did_not_write_stay(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    api.render("ego:dod", out=out / "explorer-ego-dod.html", graph_dir=out)
    (out / "notes").mkdir()
    (out / "notes" / "mine.txt").write_text("keep me")
    page = (out / "explorer-ego-dod.html").read_bytes()
    (data / "entities" / "entities.yaml").write_text(
        (data / "entities" / "entities.yaml").read_text() + "\n# changed\n"
    )
    api.build(data, out)
    assert (out / "explorer-ego-dod.html").read_bytes() == page
    assert (out / "notes" / "mine.txt").read_text() == "keep me"
    check_set(out)


def test_a_failed_write_leaves_no_temporary_and_the_old_set(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    before = {p.name: p.read_bytes() for p in files_in(out)}

    def broken(new: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(buildset, "swap_folder", broken)
    with pytest.raises(OSError, match="No space"):
        api.build(data, out)
    assert {p.name: p.read_bytes() for p in files_in(out)} == before
    assert temporaries(tmp_path) == []


def test_temporaries_of_dead_processes_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (tmp_path / f".out.{dead}.abc123.tmp").mkdir()
    (tmp_path / f".out.{dead}.abc123.tmp" / "alliance.nt").write_text("half")
    (tmp_path / f".x.nt.{dead}.k9.tmp").write_text("half")
    (tmp_path / "out").mkdir()  # a build folder with a temporary of an older writer
    (tmp_path / "out" / ".alliance.nt.k3j4h5.tmp").write_text("half")
    live = tmp_path / f".out.{os.getpid()}.zz.tmp"
    live.mkdir()
    clean_temporaries(tmp_path)
    assert temporaries(tmp_path) == [".alliance.nt.k3j4h5.tmp", live.name]
    shutil.copytree(VALID, tmp_path / "data")
    api.build(tmp_path / "data", tmp_path / "out")  # the next build leaves none behind
    assert temporaries(tmp_path) == [live.name]
    with pytest.raises(RuntimeError), atomic_writer(tmp_path / "y.txt") as handle:
        handle.write(b"half")
        raise RuntimeError
    assert not (tmp_path / "y.txt").exists() and temporaries(tmp_path) == [live.name]


def _run_build(data: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph", "build", "--data", str(data), "--graph-dir", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_builds(
    data: Path, out: Path, kills: int, *, old_entities: bytes, new_entities: bytes, seed: int = 0
) -> dict[str, int]:
    """Build ``data`` into ``out`` (which holds the build of ``old_entities``) with
    ``new_entities`` and SIGKILL the build ``kills`` times at random moments; after each
    kill ``out`` must be the whole old set or the whole new one (and then goes back to
    the old). Returns how often each was seen, and how often the build finished first."""
    entities = data / "entities" / "entities.yaml"
    entities.write_bytes(new_entities)
    old = buildset.read_manifest(out)
    assert old is not None
    new_fingerprint = buildset.Inputs(data).fingerprint
    assert new_fingerprint != old["inputs"]["fingerprint"]
    started = time.perf_counter()
    probe = _run_build(data, out.parent / "probe")
    assert probe.wait(timeout=300) == 0
    duration = time.perf_counter() - started
    shutil.rmtree(out.parent / "probe")
    rng = random.Random(seed)
    seen = {"old": 0, "new": 0, "finished before the kill": 0}
    for _ in range(3 * kills):
        if seen["old"] + seen["new"] >= kills:
            break
        process = _run_build(data, out)
        time.sleep(rng.uniform(0.1, 1.0) * duration)
        if process.poll() is not None:  # too late: not a kill
            seen["finished before the kill"] += 1
        else:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        manifest = check_set(out)
        fingerprint = {old["inputs"]["fingerprint"]: "old", new_fingerprint: "new"}[
            manifest["inputs"]["fingerprint"]
        ]
        if process.returncode == -signal.SIGKILL:
            seen[fingerprint] += 1
        assert set(manifest["outputs"]) | {"manifest.json", buildset.STAT_CACHE, "user.html"} == {
            p.name for p in files_in(out)
        }
        if fingerprint == "new":  # go back to the old set for the next kill
            entities.write_bytes(old_entities)
            api.build(data, out)
            entities.write_bytes(new_entities)
    return seen


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_a_whole_set(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    (out / "user.html").write_text("a page the user keeps here")
    old = (data / "entities" / "entities.yaml").read_bytes()
    seen = kill_builds(
        data,
        out,
        kills=int(os.environ.get("ALLIANCE_GRAPH_KILLS", "10")),
        old_entities=old,
        new_entities=old + b"\n# a change\n",
    )
    assert seen["old"] + seen["new"] >= 10
    process = _run_build(data, out)  # the next build completes and cleans every leftover
    assert process.wait(timeout=300) == 0
    assert check_set(out)["inputs"]["fingerprint"] == buildset.Inputs(data).fingerprint
    assert (out / "user.html").read_text() == "a page the user keeps here"
    assert temporaries(tmp_path) == []
    print(f"kills: {seen}")


# --- 3. reproducible ----------------------------------------------------------------------
def test_two_builds_of_the_same_data_are_identical_file_by_file(data: Path, tmp_path: Path) -> None:
    api.build(data, tmp_path / "one")
    api.build(data, tmp_path / "two")
    one = {p.name: sha256(p) for p in files_in(tmp_path / "one")}
    two = {p.name: sha256(p) for p in files_in(tmp_path / "two")}
    assert "explorer.html" in one and "manifest.json" in one
    assert one == two


# --- 4. stale builds ----------------------------------------------------------------------
def test_readers_say_when_the_data_changed(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    assert api.stats(out)["entities"] == 5
    entities = data / "entities" / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8").replace("en: Lloyd Austin", "en: Lloyd J. Austin III"),
        encoding="utf-8",
    )
    message = (
        rf"the build in {out}/ is older than {entities}: run 'alliance-graph build "
        rf"--data {data} --graph-dir {out}' \(or pass --rebuild\)"
    )
    for reader in (
        lambda: api.stats(out),
        lambda: api.load_graph(out / "alliance.ttl"),
        lambda: api.to_networkx(out),
        lambda: api.query("SELECT * {}", graph_dir=out),
        lambda: api.render(graph_dir=out),
        lambda: api.built_path(out),
    ):
        with pytest.raises(StaleBuildError, match=message):
            reader()
    graph = api.load_graph(out, rebuild=True)
    assert (None, None, Literal("Lloyd J. Austin III", lang="en")) in graph
    check_set(out)
    api.stats(out)  # fresh again


def test_a_touched_but_unchanged_file_is_still_fresh_and_cheap_when_nothing_moved(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    hashed: list[Path] = []
    real = buildset._sha256
    monkeypatch.setattr(buildset, "_sha256", lambda p: hashed.append(p) or real(p))
    buildset.check_fresh(out)
    assert hashed == []  # sizes and times agree: nothing is read
    os.utime(data / "sources" / "memo" / "text.txt", ns=(1, 1))
    buildset.check_fresh(out)
    assert hashed  # times differ: hashed, and the content is the same
    (data / "sources" / "memo" / "claims.yaml").unlink()
    with pytest.raises(StaleBuildError, match=r"older than the data \(.*claims\.yaml was removed"):
        buildset.check_fresh(out)


def test_an_ontology_or_version_change_makes_a_build_stale(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    monkeypatch.setattr(buildset, "_version", lambda: "99.0")
    with pytest.raises(StaleBuildError, match=r"made by alliance-graph 0\.1\.0, this is 99\.0"):
        api.stats(out)


def test_a_build_without_manifest_or_missing_is_reported(tmp_path: Path) -> None:
    with pytest.raises(NotBuiltError, match="does not exist"):
        api.built_path(tmp_path / "nowhere")
    (tmp_path / "legacy").mkdir()
    for name in buildset.LEGACY_OUTPUTS:
        (tmp_path / "legacy" / name).write_text("")
    with pytest.raises(StaleBuildError, match=r"has no manifest\.json"):
        api.built_path(tmp_path / "legacy")


# --- 5. no silent overwrites --------------------------------------------------------------
def test_build_refuses_a_folder_that_is_not_a_build(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "README.md").write_text("mine")
    with pytest.raises(OverwriteError, match="not a build of alliance-graph"):
        api.build(data, other)
    assert [p.name for p in other.iterdir()] == ["README.md"]
    api.build(data, other, force=True)
    assert (other / "README.md").read_text() == "mine"
    check_set(other)
    for inside in (data, data / "build", data.parent):
        with pytest.raises(OverwriteError, match="may not be, hold or lie inside"):
            api.build(data, inside, force=True)


def test_render_export_and_synth_never_overwrite_what_they_did_not_write(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    api.build(data, out)
    readme = tmp_path / "README.md"
    readme.write_text("mine")
    for write in (
        lambda f: api.render("ego:dod", out=readme, graph_dir=out, force=f),
        lambda f: api.export_network(readme, graph_dir=out, format="graphml", force=f),
        lambda f: api.synth(readme, 200, force=f),
    ):
        with pytest.raises(OverwriteError, match="not written by alliance-graph"):
            write(False)
        assert readme.read_text() == "mine"
        write(True)  # with --force it may
        write(False)  # and now it is ours: replaced without asking
        readme.write_text("mine")
    writers = {
        "render": lambda t: api.render("ego:dod", out=t, graph_dir=out, force=True),
        "export": lambda t: api.export_network(t, graph_dir=out, format="gexf", force=True),
        "synth": lambda t: api.synth(t, 200, force=True),
    }
    for target in (out / "alliance.nt", out / "explorer.html"):
        before = target.read_bytes()
        for write in writers.values():
            with pytest.raises(OverwriteError, match="belongs to the build"):
                write(target)
        assert target.read_bytes() == before
    source_text = data / "sources" / "memo" / "text.txt"  # the data of the build they read
    before = source_text.read_bytes()
    for name in ("render", "export"):
        with pytest.raises(OverwriteError, match="will not write into the data folder"):
            writers[name](source_text)
    assert source_text.read_bytes() == before


def test_cli_refusals_are_one_error_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graph.cli import main

    out = tmp_path / "out"
    api.build(data, out)
    target = data / "sources" / "memo" / "text.txt"
    assert (
        main(
            [
                "render",
                "--view",
                "ego:dod",
                "--graph-dir",
                str(out),
                "--out",
                str(target),
                "--force",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert err == (
        f"Error: {target}: out: will not write into the data folder {data} "
        "(choose a file outside it)\n"
    )
    assert main(["render", "--view", "ego:dod", "--graph-dir", str(out)]) == 0
    assert (out / "explorer-ego-dod.html").is_file()
    (data / "entities" / "entities.yaml").write_text(
        (data / "entities" / "entities.yaml").read_text() + "\n# changed\n"
    )
    assert main(["stats", "--graph-dir", str(out)]) == 1
    assert "(or pass --rebuild)" in capsys.readouterr().err
    assert main(["stats", "--graph-dir", str(out), "--rebuild"]) == 0
    assert main(["stats", "--graph-dir", str(out)]) == 0


def test_check_outputs_reads_tables_back() -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"a": [1, 2]}), buffer)
    check_outputs({"claims.parquet": buffer.getvalue(), "claims.csv": b"a,b\n1,2\n"}, 0)
    with pytest.raises(OutputError, match=r"claims\.parquet: build: .*does not read back"):
        check_outputs({"claims.parquet": buffer.getvalue()[:-20]}, 0)
    with pytest.raises(OutputError, match=r"claims\.csv: build: .*does not read back"):
        check_outputs({"claims.csv": b"a,b\n1,2,3\n"}, 0)


def test_a_quote_over_several_lines_reads_back_from_claims_csv(data: Path, tmp_path: Path) -> None:
    """A verbatim quote keeps the source's line breaks; the CSV holds it in one quoted
    cell, which the parse-back must read as one row (it once failed the build)."""
    text = data / "sources" / "memo" / "text.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace("MOU between", "MOU\nbetween"), encoding="utf-8"
    )
    claims = data / "sources" / "memo" / "claims.yaml"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(
            "quote: the MOU between the Division of Protection\n",
            'quote: "the MOU\\nbetween the Division of Protection"\n',
        ),
        encoding="utf-8",
    )
    result = api.build(data, tmp_path / "out")
    import pyarrow.csv

    options = pyarrow.csv.ParseOptions(newlines_in_values=True)
    table = pyarrow.csv.read_csv(tmp_path / "out" / "claims.csv", parse_options=options)
    assert table.num_rows == len(result.dataset.claims)
    assert "the MOU\nbetween the Division of Protection" in table.column("quote").to_pylist()
