"""The pipeline end to end on small corpora: incremental, deterministic, robust."""

from __future__ import annotations

import base64
import contextlib
import gc
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generator import build
from generator.config import Settings
from generator.errors import ConfigError
from generator.incremental import cache, corpus, fingerprint, journal
from generator.linking import topics
from generator.models import Analysis, Digest, Keyphrase, Sentence, Topic
from generator.site import render
from tests.conftest import project, snapshot, write_files
from tests.test_topics import make_article

ARTICLE = "Gas pipeline talks\n\nRussia and China discussed the Power of Siberia pipeline in Beijing on Monday. Officials said gas exports would grow. The Power of Siberia line already carries gas.\n"
OTHER = "Defense ministers meet\n\nThe defense ministers met in Qingdao to discuss joint drills. The Power of Siberia pipeline was also mentioned. Both sides praised the talks.\n"


def test_second_run_reanalyzes_nothing_and_writes_nothing(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE, "b.txt": OTHER})
    first = build.generate(settings)
    before = snapshot(settings.docs)
    second = build.generate(settings)
    assert (first.analyzed, second.analyzed, second.cached) == (2, 0, 2)
    assert second.written is not None and second.written.written == ()
    assert snapshot(settings.docs) == before


def test_adding_one_article_analyzes_one(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE, "b.txt": OTHER})
    build.generate(settings)
    write_files(
        settings.corpus,
        {"c.txt": "Energy exports\n\nRussia sold more gas to China this year. Analysts expect growth to continue.\n"},
    )
    report = build.generate(settings)
    assert (report.analyzed, report.cached) == (1, 2)
    assert (settings.docs / "articles" / "c.md").exists()


def test_removed_article_page_is_deleted(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE, "b.txt": OTHER})
    build.generate(settings)
    (settings.corpus / "b.txt").unlink()
    report = build.generate(settings)
    assert report.written is not None and "articles/b.md" in report.written.removed
    assert (settings.docs / "about.md").exists()


def test_cached_build_equals_uncached_build(tmp_path: Path) -> None:
    cold = project(tmp_path / "cold", {"a.txt": ARTICLE, "b.txt": OTHER})
    build.generate(cold)
    build.generate(cold)  # served from the cache
    fresh = project(tmp_path / "fresh", {"a.txt": ARTICLE, "b.txt": OTHER})
    build.generate(fresh)
    assert snapshot(cold.docs) == snapshot(fresh.docs)


def _entries(settings: Settings) -> dict[str, bytes]:
    """The cache's entries, {key: bytes}, read as any other SQLite client would."""
    with contextlib.closing(sqlite3.connect(settings.cache / cache.DATABASE)) as db:
        return dict(db.execute("SELECT key, data FROM entries").fetchall())


def _put(root: Path, key: str, data: bytes | int) -> None:
    """Write an entry behind the generator's back, as a forged or damaged cache would hold it."""
    assert cache._database(root) is not None  # made, as a run makes it
    with contextlib.closing(sqlite3.connect(root / cache.DATABASE)) as db, db:
        db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?)", (key, data))


def _schemas(settings: Settings) -> dict[str, str]:
    return {json.loads(data)["schema"]: key for key, data in _entries(settings).items()}


def _forget_last_run(settings: Settings) -> None:
    # Without this the no-change shortcut (fingerprint.py) rightly skips a run whose inputs did not change.
    (settings.cache / fingerprint.STATE).unlink()


def test_corrupt_and_foreign_cache_entries_are_rebuilt(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE})
    build.generate(settings)
    page = (settings.docs / "articles" / "a.md").read_bytes()
    schemas = _schemas(settings)
    assert set(schemas) == {cache.SCHEMA, cache.ARTICLE_SCHEMA}  # the file's Article, and its analysis
    for schema, key in sorted(schemas.items()):
        reanalyzed = int(schema == cache.SCHEMA)
        _put(settings.cache, key, b"{ corrupt")
        _forget_last_run(settings)
        assert build.generate(settings).analyzed == reanalyzed
        _put(settings.cache, key, json.dumps({"schema": "someone-else/9", "entry": {}}).encode())
        _forget_last_run(settings)
        assert build.generate(settings).analyzed == reanalyzed
        assert json.loads(_entries(settings)[key])["schema"] == schema  # rewritten
        _forget_last_run(settings)
        assert build.generate(settings).analyzed == 0
        assert (settings.docs / "articles" / "a.md").read_bytes() == page


@pytest.mark.parametrize(
    ("schema", "forge"),
    [
        ("analysis", lambda e: e["sentences"][0].__setitem__(0, '0 "x")<script>alert(1)</script>')),
        ("analysis", lambda e: e["summary"].append("1")),
        ("article", lambda e: e.__setitem__("slug", "../../outside")),
        ("article", lambda e: e.__setitem__("path", "other.txt")),
        ("article", lambda e: e["blocks"][0].__setitem__(0, "script")),
    ],
)
def test_forged_cache_entries_are_misses(tmp_path: Path, schema: str, forge: Any) -> None:
    """A cache from elsewhere cannot put markup where a number goes, or a path where a slug goes."""
    settings = project(tmp_path, {"a.txt": ARTICLE})
    build.generate(settings)
    before = {p.relative_to(settings.docs): p.read_bytes() for p in settings.docs.rglob("*.md")}
    wanted = cache.SCHEMA if schema == "analysis" else cache.ARTICLE_SCHEMA
    key = _schemas(settings)[wanted]
    data = json.loads(_entries(settings)[key])
    forge(data["entry"])
    _put(settings.cache, key, json.dumps(data).encode())
    _forget_last_run(settings)
    report = build.generate(settings)
    assert report.errors == []
    assert report.analyzed == (1 if schema == "analysis" else 0)
    assert {p.relative_to(settings.docs): p.read_bytes() for p in settings.docs.rglob("*.md")} == before
    assert not (tmp_path / "outside.md").exists()


def test_no_change_shortcut_notices_edited_outputs(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE})
    build.generate(settings)
    page = settings.docs / "articles" / "a.md"
    original = page.read_bytes()
    page.write_text("edited by hand", encoding="utf-8")
    report = build.generate(settings)
    assert report.written is not None and report.written.written == ("articles/a.md",)
    assert page.read_bytes() == original


def test_the_cache_keeps_only_the_entries_the_corpus_uses(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE, "b.txt": OTHER})
    earlier = write_files(settings.cache, {"ef/" + "2" * 64 + ".json": "an entry of the earlier layout"})
    build.generate(settings)
    first = set(_entries(settings))
    assert len(first) == 4  # per file, its Article and its analysis
    assert not (earlier / ("ef/" + "2" * 64 + ".json")).exists()
    foreign = write_files(settings.cache, {"ab/notes.txt": "mine", "ab/" + "0" * 63 + ".json": "not a key"})
    write_files(settings.cache, {"zz/" + "1" * 64 + ".json": "not our folder"})
    killed = write_files(settings.cache, {"cd/.tmp-left": "old", "cd/.tmp-new": "recent"})
    os.utime(killed / "cd/.tmp-left", (0, 0))  # a killed run's, long ago
    write_files(settings.corpus, {"b.txt": OTHER + "\nA sentence added later changes the text.\n"})
    report = build.generate(settings)
    now = set(_entries(settings))
    assert report.analyzed == 1
    assert len(now) == 4 and len(now & first) == 2  # a's two kept; b's old two gone, its new two there
    assert (foreign / "ab/notes.txt").exists() and (foreign / ("ab/" + "0" * 63 + ".json")).exists()
    assert (settings.cache / ("zz/" + "1" * 64 + ".json")).exists()
    assert not (killed / "cd/.tmp-left").exists() and (killed / "cd/.tmp-new").exists()
    # The run closed the database: one file, its write-ahead log folded in, for a CI cache to save.
    assert not (settings.cache / (cache.DATABASE + "-wal")).exists()
    (settings.corpus / "b.txt").unlink()
    build.generate(settings)
    assert set(_entries(settings)) == first & now  # a's two
    assert build.generate(settings).cached == 1  # what is left is what the corpus uses


def test_cache_key_changes_with_settings(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE})
    other = project(tmp_path / "x", {"a.txt": ARTICLE}, summary_sentences=1)
    from generator.ingest.clean import clean
    from generator.ingest.readers import read

    article = clean(read(settings.corpus / "a.txt", settings.corpus, 10_000))
    assert cache.key(article, settings) != cache.key(article, other)


def test_one_bad_article_does_not_stop_the_others(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE, "bad.md": "---\n- not: a mapping\n---\nBody.\n", "empty.txt": ""})
    report = build.generate(settings)
    assert (settings.docs / "articles" / "a.md").exists()
    assert any("bad.md" in e and "mapping" in e for e in report.errors)
    assert any("empty.txt" in e for e in report.errors)
    assert report.exit_code() == 0
    strict = project(tmp_path / "s", {"a.txt": ARTICLE, "empty.txt": ""}, strict=True)
    assert build.generate(strict).exit_code() == 1


def test_duplicate_articles_are_reported_once(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE, "copy of a.txt": ARTICLE})
    report = build.generate(settings)
    assert any("copy of a.txt" in w and "duplicate" in w for w in report.warnings)
    assert sorted(p.name for p in (settings.docs / "articles").iterdir()) == ["a.md", "index.md"]


def test_script_in_article_is_shown_as_text_in_built_html(tmp_path: Path) -> None:
    hostile = "---\ntitle: </title><script>alert(2)</script>\n---\nBody with <script>alert(1)</script> and <img src=x onerror=alert(3)> inside. It is long enough to summarize.\n"
    settings = project(tmp_path, {"evil.md": hostile, "a.txt": ARTICLE}, strict=True)
    assert build.build(settings).exit_code() == 0
    html = (settings.site / "articles" / "evil" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for page in settings.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(2)" not in text and "</title><script>" not in text, page


def test_all_settings_problems_are_reported_together(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        project(tmp_path, summary_sentences=0, paper="A5", colour="red")
    message = str(info.value)
    assert "summary_sentences" in message and "paper" in message and "colour: unknown setting" in message


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    # Set and dict iteration order of strings changes with PYTHONHASHSEED; output must not.
    import os
    import subprocess
    import sys

    from bench.corpus import EVAL, load_records, write_corpus
    from tests.conftest import ROOT

    if not (EVAL / "summaries-bbc-dev.jsonl").exists():
        pytest.skip("shared/eval development data is not beside the checkout")
    outputs = []
    for seed in ("1", "2"):
        settings = project(tmp_path / seed)
        write_corpus(settings.corpus, 40, load_records())
        cfg = tmp_path / seed / "briefing.yml"
        cfg.write_text(
            f"corpus_dir: {settings.corpus}\ndocs_dir: {settings.docs}\ncache_dir: {settings.cache}\nworkers: 1\n",
            encoding="utf-8",
        )
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--config", str(cfg)], check=True, env=env, capture_output=True
        )
        outputs.append(snapshot(settings.docs))
    assert outputs[0] == outputs[1]


def test_cache_folder_that_is_a_file_is_not_fatal(tmp_path: Path) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE})
    settings.cache.write_text("not a folder", encoding="utf-8")
    report = build.generate(settings)
    assert (report.analyzed, report.errors) == (1, [])
    assert settings.cache.read_text(encoding="utf-8") == "not a folder"  # someone's file: left alone
    assert (settings.docs / "articles" / "a.md").exists()


@pytest.mark.parametrize(
    "entry",
    [
        b"\xff\xfe not UTF-8",
        b"[1, 2, 3]",
        b'{"schema": "SCHEMA", "key": "KEY", "entry": {"sentences": [{"bogus": 1}]}}',
        b'{"schema": "SCHEMA", "key": "KEY", "entry": null}',
        12345,  # SQLite keeps any type in any column: a number where the bytes go
    ],
)
def test_unreadable_cache_entries_are_rebuilt(tmp_path: Path, entry: bytes | int) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE})
    build.generate(settings)
    key = _schemas(settings)[cache.SCHEMA]  # the analysis
    _forget_last_run(settings)
    if isinstance(entry, bytes):
        entry = entry.replace(b"KEY", key.encode()).replace(b"SCHEMA", cache.SCHEMA.encode())
    _put(settings.cache, key, entry)
    report = build.generate(settings)
    assert (report.analyzed, report.cached, report.errors) == (1, 0, [])
    _forget_last_run(settings)
    assert build.generate(settings).analyzed == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda path: path.write_bytes(b"someone's notes, not a database"),
        # Another program's database, which happens to hold a table like ours.
        lambda path: _other_database(path, cache._TABLE),
        # Our application id, with a trigger that would run on our writes.
        lambda path: _other_database(path, cache._TABLE, trigger=True),
        # Another program's database, empty so far.
        lambda path: _other_database(path, "PRAGMA application_id = 7"),
    ],
)
def test_a_cache_database_that_is_not_ours_is_left_alone(tmp_path: Path, make: Any, capsys: pytest.CaptureFixture[str]) -> None:
    settings = project(tmp_path, {"a.txt": ARTICLE})
    database = settings.cache / cache.DATABASE
    settings.cache.mkdir(parents=True)
    make(database)
    before = database.read_bytes()
    for _ in range(2):
        _forget_last_run(settings) if (settings.cache / fingerprint.STATE).exists() else None
        report = build.generate(settings)
        assert (report.analyzed, report.cached, report.errors) == (1, 0, [])
    assert database.read_bytes() == before
    assert (settings.docs / "articles" / "a.md").exists()
    assert f"Cache folder '{settings.cache}' could not be written" in capsys.readouterr().err


def test_a_cache_database_of_ours_in_an_earlier_layout_is_made_anew(tmp_path: Path) -> None:
    """An upgrade that changes the table costs one uncached run, not every run after it."""
    settings = project(tmp_path, {"a.txt": ARTICLE})
    settings.cache.mkdir(parents=True)
    earlier = "CREATE TABLE entries (key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID"
    with contextlib.closing(sqlite3.connect(settings.cache / cache.DATABASE)) as db, db:
        db.execute(earlier)
        db.execute(f"PRAGMA application_id = {cache._APP_ID}")
        db.execute("INSERT INTO entries VALUES ('stale', x'00')")
    first = build.generate(settings)
    _forget_last_run(settings)
    second = build.generate(settings)
    assert (first.analyzed, second.analyzed, second.cached) == (1, 0, 1)
    with contextlib.closing(sqlite3.connect(settings.cache / cache.DATABASE)) as db:
        assert db.execute("SELECT sql FROM sqlite_master WHERE type = 'table'").fetchall() == [(cache._TABLE,)]
        assert db.execute("SELECT count(*) FROM entries WHERE key = 'stale'").fetchone() == (0,)


def _other_database(path: Path, statement: str, trigger: bool = False) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(statement)
        if trigger:
            db.execute(f"PRAGMA application_id = {cache._APP_ID}")
            db.execute("CREATE TABLE log (x)")
            db.execute("CREATE TRIGGER t AFTER INSERT ON entries BEGIN INSERT INTO log VALUES (new.key); END")


def test_an_article_or_topic_slugged_index_keeps_its_own_page(tmp_path: Path) -> None:
    """articles/index.md and topics/index.md are the lists: an article file or topic named "index" gets another slug."""
    text = "Index watch\n\nTraders said the Index rose in Beijing on Monday. Analysts said the Index would rise again.\n"
    settings = project(tmp_path, {"index.txt": text, "b.txt": text.replace("Monday", "Tuesday")})
    report = build.generate(settings)
    assert report.errors == []
    assert (settings.docs / "articles" / "index.md").read_text(encoding="utf-8").startswith("---\ntitle: Articles")
    assert len(list((settings.docs / "articles").glob("index-*.md"))) == 1  # the article, under a suffixed slug
    assert (settings.docs / "topics" / "index.md").read_text(encoding="utf-8").startswith("---\ntitle: Topics")
    assert (settings.docs / "topics" / "index-2.md").is_file()  # the topic "Index"


def test_pool_reports_bad_files_by_name_and_builds_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are parsed, cleaned and analyzed in worker processes: problems, counts and pages as in one process."""
    files: dict[str, str | bytes] = {f"n{i:02}.txt": ARTICLE.replace("Monday", f"day {i}") for i in range(20)}
    files |= {"bad.md": "---\n- not: a mapping\n---\nBody.\n", "empty.txt": "", "binary.txt": b"\x00\x01" * 50}
    files |= {"copy of n03.txt": files["n03.txt"], "n 04.txt": OTHER}  # a duplicate, and a slug taken by n04
    pools: list[int] = []
    collecting: list[bool] = []

    class Pool(build.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: Any) -> None:
            pools.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)
            collecting.append(self.submit(gc.isenabled).result())  # the run pauses it; its workers must not

    monkeypatch.setattr(corpus, "ProcessPoolExecutor", Pool)
    runs = []
    counts: list[tuple[int, int]] = []
    pooled: Settings | None = None
    for workers in (2, 1):
        settings = project(tmp_path / str(workers), files, workers=workers)
        report = build.generate(settings)
        runs.append((report.errors, report.warnings, report.analyzed + report.cached, snapshot(settings.docs)))
        counts.append((report.analyzed, report.cached))
        pooled = pooled or settings
    assert pools == [2]  # the first run went through the pool
    assert collecting == [True]
    errors, warnings, kept, _ = runs[0]
    assert ["bad.md" in errors[0], "binary.txt" in errors[1], "empty.txt" in errors[2], len(errors)] == [True, True, True, 3]
    assert any(w.startswith("n03.txt: same text as copy of n03.txt") for w in warnings)
    assert kept == 21
    # A duplicate and its original are two jobs with one analysis key: in a pool they may run at
    # once in two workers, and the one kept may find the other's analysis already stored.
    assert counts[0] in ((21, 0), (20, 1)) and counts[1] == (21, 0)
    assert runs[0] == runs[1]
    # Every entry the workers stored is there: 22 files' Articles, 21 analyses (a duplicate's is its original's).
    assert pooled is not None and len(_entries(pooled)) == 22 + 21
    assert (tmp_path / "2" / "docs" / "articles" / "n-04.md").is_file()


def _entry(sentences: Any) -> dict[str, Any]:
    return {
        "sentences": sentences,
        "summary": [],
        "keyphrases": [],
        "acronyms": [],
        "figures": [],
        "terms": {"forms": [[], [], []], "mid_sentence": [], "person": [], "place": [], "links": [], "keyset": ""},
        "vocabulary": [],
        "dates": [],
        "story": ["", "", ""],  # packed columns, base64
        "quotes": [],
    }


def _stored(tmp_path: Path, entry: dict[str, Any], key: str = "k" * 64, under: str | None = None) -> None:
    _put(tmp_path, under or key, json.dumps({"schema": cache.SCHEMA, "key": key, "entry": entry}).encode())


def test_cache_entries_with_empty_lists_load(tmp_path: Path) -> None:
    # An article may have no forms, no words or no sentences: empty is well formed, not a miss.
    _stored(tmp_path, _entry([[], [], []]))
    loaded = cache.load(tmp_path, "k" * 64, make_article("a", "One. Two."))
    assert loaded is not None and loaded.sentences == ()


@pytest.mark.parametrize(
    ("dates", "loads"),
    [
        ([[1, 0, 3, "DATE", "2023", True]], True),
        ([[2, 0, 3, "DATE", "2023", True]], False),  # no third sentence
        ([[0, 2, 9, "DATE", "2023", True]], False),  # past the end of its sentence
        ([[0, 3, 3, "DATE", "2023", True]], False),  # empty
        ([[0, 0, 3, "EVENT", "2023", True]], False),  # no TIMEX3 type
    ],
)
def test_cached_dates_must_lie_inside_their_sentences(tmp_path: Path, dates: Any, loads: bool) -> None:
    _stored(tmp_path, _entry([[0, 0], [0, 5], [4, 9]]) | {"dates": dates})
    loaded = cache.load(tmp_path, "k" * 64, make_article("a", "One. Two."))
    assert (loaded is not None) == loads
    if loaded is not None:
        assert [(d.sentence, d.text, d.value) for d in loaded.dates] == [(1, "Two", "2023")]


def _packed(dtype: str, values: list[int]) -> str:
    return base64.b64encode(np.array(values, dtype=dtype).tobytes()).decode()


@pytest.mark.parametrize(
    ("story", "loads"),
    [
        ([_packed("<u8", [1, 2]), _packed("<u4", [3, 1]), ""], True),
        ([_packed("<u8", [2, 1]), _packed("<u4", [3, 1]), ""], False),  # keys out of order
        ([_packed("<u8", [1, 1]), _packed("<u4", [3, 1]), ""], False),  # a key twice
        ([_packed("<u8", [1, 2]), _packed("<u4", [3, 0]), ""], False),  # a key counted 0 times
        ([_packed("<u8", [1, 2]), _packed("<u4", [3]), ""], False),  # a count missing
        ([_packed("<u8", [1, 2]), _packed("<u4", [3, 1]), _packed("<u8", [7] * 5)], False),  # a short signature
        (["not base64!", "", ""], False),
    ],
)
def test_cached_story_features_must_be_well_formed(tmp_path: Path, story: Any, loads: bool) -> None:
    _stored(tmp_path, _entry([[0, 0], [0, 5], [4, 9]]) | {"story": story})
    loaded = cache.load(tmp_path, "k" * 64, make_article("a", "One. Two."))
    assert (loaded is not None) == loads
    if loaded is not None:
        assert np.frombuffer(loaded.story.counts, "<u4").tolist() == [3, 1]


@pytest.mark.parametrize(
    "sentences",
    [
        [[0, 0], [0], [4, 9]],  # unequal columns
        [[0, 0], [0, True], [4, 9]],  # a bool is no offset
        [[0, 0], [0, "5"], [4, 9]],
        [[0, 0], [0, 5]],
        [[0, 1], [0, 5], [4, 9]],  # the article has one block
        [[0, -1], [0, 5], [4, 9]],
        [[0, 0], [-1, 5], [4, 9]],
        [[0, 0], [5, 5], [4, 99]],  # past the end of the block
        [[0, 0], [4, 5], [0, 9]],  # ends before it starts
    ],
)
def test_cache_entries_with_sentences_that_do_not_fit_the_article_are_misses(tmp_path: Path, sentences: Any) -> None:
    article = make_article("a", "One. Two.")
    _stored(tmp_path, _entry([[0, 0], [0, 5], [4, 9]]))
    loaded = cache.load(tmp_path, "k" * 64, article)
    assert loaded is not None and loaded.sentences == (Sentence(0, 0, 0, 4, "One."), Sentence(1, 0, 5, 9, "Two."))
    _stored(tmp_path, _entry(sentences))
    assert cache.load(tmp_path, "k" * 64, article) is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda e: e.update(summary=["<b>1</b>"]),  # a string where an anchor number goes
        lambda e: e.update(summary=[1]),  # the entry has one sentence: its page would index past it
        lambda e: e.update(summary=[-1]),
        lambda e: e.update(keyphrases=[["a", "b", "c"]]),
        lambda e: e.update(figures=[["1%", "script", 1.0, 0]]),  # no such kind
        lambda e: e["terms"].update(forms=[["a"], [], []]),  # columns of different lengths
        lambda e: e["terms"].update(keyset=["a"]),
        lambda e: e.update(vocabulary=[1]),
        lambda e: e.pop("terms"),
    ],
)
def test_forged_analysis_entries_are_misses(tmp_path: Path, forge: Any) -> None:
    entry = _entry([[0], [0], [4]])
    forge(entry)
    _stored(tmp_path, entry)
    assert cache.load(tmp_path, "k" * 64, make_article("a", "One. Two.")) is None


def test_an_entry_under_another_key_is_a_miss(tmp_path: Path) -> None:
    _stored(tmp_path, _entry([[], [], []]), key="a" * 64, under="b" * 64)  # the entry says it is for key a...
    assert cache.load(tmp_path, "a" * 64, make_article("a", "One.")) is None  # (a well-formed entry)
    assert cache.load(tmp_path, "b" * 64, make_article("a", "One.")) is None


def test_topics_scanned_first_mentions_found_and_pages_staged_in_a_pool_equal_those_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many articles are scanned for topics and searched for first mentions, and pages staged, by workers forked before loading: same pages.

    The workers also render the article and topic pages (render.ArticlePage, render.TopicPage),
    and cluster the stories while this process links.
    """
    pools: list[int] = []
    clusterings: list[int] = []
    searched: list[int] = []
    staged: list[int] = []
    deferred: list[str] = []

    class Pool(build.ProcessPoolExecutor):
        def __init__(self, max_workers: int, **kwargs: Any) -> None:
            pools.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

        def map(self, fn: Any, *iterables: Any, **kwargs: Any) -> Any:
            jobs = list(zip(*iterables, strict=False))  # the scan repeats its keys with itertools.repeat
            searched.append(len(jobs))
            return super().map(fn, *zip(*jobs, strict=True), **kwargs)

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            if fn is build.clustered:
                clusterings.append(len(args[0]))
            if fn is journal._stage_batch:
                staged.append(len(args[1]))
                deferred.extend(rel for rel, text, _ in args[1] if isinstance(text, render.ArticlePage | render.TopicPage))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(build, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(build, "POOL_MIN_ARTICLES", 2)
    monkeypatch.setattr(render, "POOL_MIN_ARTICLES", 2)
    monkeypatch.setattr(journal._Batches, "SIZE", 8)
    monkeypatch.setattr(topics, "SCAN_CHUNK", 2)
    docs = []
    for workers in (2, 1):
        settings = project(tmp_path / str(workers), demo=True, workers=workers)
        build.generate(settings)
        docs.append(snapshot(settings.docs))
    # One pool, for the first run: its five articles were scanned in three jobs, then searched.
    assert (pools, searched) == ([2], [3, 5])
    assert clusterings == [5]  # the five articles' stories, clustered in a worker
    pages = json.loads(docs[0][journal.MANIFEST])["files"]
    assert sum(staged) == len(pages) and len(staged) == -(-len(pages) // 8)  # every page, in batches of eight
    pages_of = {rel for rel in pages if rel.startswith(("articles/", "topics/")) and not rel.endswith("/index.md")}
    assert sorted(deferred) == sorted(pages_of) and sum(rel.startswith("articles/") for rel in deferred) == 5
    assert docs[0] == docs[1]
    assert any(b"](../topics/" in page for rel, page in docs[0].items() if rel.startswith("articles/"))  # links were found


@pytest.mark.parametrize(("name", "folder", "var"), [("article.md.j2", "articles", "a"), ("topic.md.j2", "topics", "t")])
def test_a_users_page_template_renders_here_with_the_whole_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, folder: str, var: str
) -> None:
    """A user's article or topic template may read anything on ctx, which an ArticlePage or TopicPage does not carry: it renders in this process."""
    monkeypatch.setattr(build, "POOL_MIN_ARTICLES", 2)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / name).write_text(
        f"# {{{{ {var}.slug }}}}\n\nOne of {{{{ ctx.digest.articles | length }}}} articles.\n", encoding="utf-8"
    )
    settings = project(tmp_path / "site", demo=True, workers=2, templates_dir=str(templates))
    assert not build.generate(settings).errors
    pages = [p for p in settings.docs.glob(f"{folder}/*.md") if p.name != "index.md"]
    assert len(pages) >= 5 and all(p.read_text(encoding="utf-8").endswith("One of 5 articles.\n") for p in pages)


@pytest.mark.parametrize("workers", [1, 2])
def test_copies_of_the_built_in_page_templates_render_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """A user's copy renders through the whole ctx, the built-in template through an ArticlePage or TopicPage: same bytes."""
    monkeypatch.setattr(build, "POOL_MIN_ARTICLES", 2)
    built_in = Path(render.__file__).parent / "templates"
    templates = write_files(
        tmp_path / "templates", {n: (built_in / n).read_text(encoding="utf-8") for n in ("article.md.j2", "topic.md.j2")}
    )
    docs = []
    for name, extra in (("own", {"templates_dir": str(templates)}), ("built-in", {})):
        settings = project(tmp_path / name, demo=True, workers=workers, **extra)
        build.generate(settings)
        docs.append({rel: page for rel, page in snapshot(settings.docs).items() if rel != journal.MANIFEST})
    assert docs[0] == docs[1]
    assert sum(rel.startswith("topics/") for rel in docs[0]) > 5


def test_a_run_pauses_the_cyclic_collector_and_turns_it_back_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Off while the corpus is linked (see build._collector_paused), on again after the run, even a failed one."""
    seen: list[bool] = []
    real = build.find_topics

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "find_topics", spy)
    assert gc.isenabled()
    build.generate(project(tmp_path / "ok", demo=True))
    assert seen == [False]
    assert gc.isenabled()

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("linking failed")

    monkeypatch.setattr(build, "find_topics", boom)
    with pytest.raises(RuntimeError, match="linking failed"):
        build.generate(project(tmp_path / "failed", demo=True))
    assert gc.isenabled()


def test_a_tag_links_the_last_of_its_articles_topics_that_goes_by_its_name() -> None:
    """As a name -> topic map built in the article's topic order would: a later topic of the same name wins."""
    article = make_article("a1", "Text.")
    topics = (
        Topic(slug="gas-one", name="Gas", variants=("Gas",), articles=("a1",), linked=True),
        Topic(slug="oil", name="Oil", variants=("Oil", "OIL"), articles=("a1",), linked=True),
        Topic(slug="gas-two", name="Natural gas", variants=("gas", "Natural gas"), articles=("a1", "a2"), linked=True),
    )
    analysis = Analysis(sentences=(), summary=(), keyphrases=(Keyphrase("gas", "gas", 0.1), Keyphrase("Oil", "oil", 0.2)))
    for order in (("gas-one", "oil", "gas-two"), ("gas-two", "oil", "gas-one")):
        digest = Digest(
            articles=(article,), analyses={"a1": analysis}, topics=topics, article_topics={"a1": order}, related={}, executive=()
        )
        tags = render._Context(digest, Settings()).tags(article)
        assert f"(../topics/{order[-1]}.md)" in tags and "(../topics/oil.md)" in tags, tags
