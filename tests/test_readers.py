"""Each reader on files written here, including every bad-input case the foundation promises."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taoyu.document import Document
from taoyu.io.base import InputError
from taoyu.io.html_files import read_html_files
from taoyu.io.jsonl import read_jsonl
from taoyu.io.parquet import read_parquet
from taoyu.io.read import read_task
from taoyu.io.tasks import Task, expand_inputs, plan_tasks
from taoyu.io.warc import read_warc
from taoyu.recipe import ReaderConfig

from .conftest import article_html, text_records, write_jsonl, write_parquet, write_warc

MB = 2**20
FIELDS = {"text_field": "text", "id_field": "id", "url_field": "url"}


def _docs(items):
    return [i for i in items if isinstance(i, Document)]


def _errors(items):
    return [i for i in items if isinstance(i, InputError)]


def _pages(n: int, charset: str = "utf-8"):
    return [
        (
            f"https://example.cn/{i}",
            article_html(i, charset=charset).encode(charset),
            f"text/html; charset={charset}",
        )
        for i in range(n)
    ]


class TestWarc:
    def test_reads_records_with_http_charset_date_and_ids(self, tmp_path: Path):
        path = write_warc(tmp_path / "a.warc.gz", _pages(3, "gbk"))
        items = list(read_warc(str(path), ["response"], 16 * MB))
        docs = _docs(items)
        assert len(docs) == 3 and not _errors(items)
        assert docs[0].meta["http_charset"] == "gbk"
        assert docs[0].meta["crawl_date"].startswith("2026-01-01")
        assert docs[1].url == "https://example.cn/1"
        assert docs[1].source.record_id and docs[1].id == docs[1].source.record_id
        assert [d.source.index for d in docs] == [0, 1, 2]
        assert docs[0].raw is not None and "新闻".encode("gbk") in docs[0].raw

    def test_truncated_gzip_keeps_complete_records_and_reports_the_cut_one(self, tmp_path: Path):
        full = write_warc(tmp_path / "full.warc.gz", _pages(4)).read_bytes()
        path = tmp_path / "cut.warc.gz"
        path.write_bytes(full[:-300])
        items = list(read_warc(str(path), ["response"], 16 * MB))
        assert len(_docs(items)) == 3
        [error] = _errors(items)
        assert "cut off" in error.message and error.source.file == str(path)
        assert error.source.index == 3 and error.source.offset is not None

    def test_a_cut_after_a_complete_record_does_not_blame_it(self, tmp_path: Path):
        full = write_warc(tmp_path / "full.warc.gz", _pages(4)).read_bytes()
        path = tmp_path / "cut.warc.gz"
        path.write_bytes(full[:-6])  # only the gzip trailer is gone: every record is whole
        items = list(read_warc(str(path), ["response"], 16 * MB))
        assert len(_docs(items)) == 4
        [error] = _errors(items)
        assert "truncated" in error.message

    @pytest.mark.parametrize("suffix", [".warc.zst", ".warc"])
    def test_truncated_zstd_and_plain_files_are_reported(self, tmp_path: Path, suffix):
        import zstandard

        pages = _pages(5)
        raw = b"".join(gzip.decompress(r) for r in _raw_records(pages))
        data = zstandard.ZstdCompressor().compress(raw) if suffix == ".warc.zst" else raw
        path = tmp_path / f"cut{suffix}"
        path.write_bytes(data[: len(data) - 200])
        items = list(read_warc(str(path), ["response"], 16 * MB))
        assert len(_errors(items)) == 1
        assert all(d.raw == pages[d.source.index][1] for d in _docs(items))  # no short documents

    def test_warc_truncated_header_is_recorded(self, tmp_path: Path):
        record = gzip.decompress(_raw_records(_pages(1))[0]).replace(
            b"WARC-Type: response\r\n", b"WARC-Type: response\r\nWARC-Truncated: length\r\n", 1
        )
        path = tmp_path / "t.warc"
        path.write_bytes(record)
        [doc] = list(read_warc(str(path), ["response"], 16 * MB))
        assert doc.meta["warc_truncated"] == "length"

    def test_broken_record_header_is_an_input_error_with_offset(self, tmp_path: Path):
        records = [gzip.decompress(r) for r in _raw_records(_pages(3))]
        records[1] = records[1].replace(b"Content-Length:", b"Content-Lngth:", 1)
        path = tmp_path / "broken.warc"
        path.write_bytes(b"".join(records))
        items = list(read_warc(str(path), ["response"], 16 * MB))
        assert len(_docs(items)) >= 1
        [error] = _errors(items)
        assert error.source.offset is not None and "WARC" in error.message

    @pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
    def test_a_damaged_record_header_is_reported_where_the_last_whole_record_ends(
        self, tmp_path: Path, suffix
    ):
        """fastwarc stops at what does not read as a record: the records before it are whole, and
        the error gives the byte where the bad data begins, not where the last good record did."""
        pages = _pages(3)
        records = [gzip.decompress(r) for r in _raw_records(pages)]
        records[1] = records[1].replace(b"WARC/1.1\r\n", b"WARX/1.1\r\n", 1)
        path = tmp_path / f"damaged{suffix}"
        data = [gzip.compress(r) if suffix == ".warc.gz" else r for r in records]
        path.write_bytes(b"".join(data))
        items = list(read_warc(str(path), ["response"], 16 * MB))
        assert [d.raw for d in _docs(items)] == [pages[0][1]]
        [error] = _errors(items)
        assert "unreadable" in error.message and error.source.offset == len(records[0])
        assert [item.source.index for item in items] == [0, 1]

    def test_a_file_with_no_record_says_so_and_records_of_other_types_are_passed_over(self, tmp_path: Path):
        junk = tmp_path / "junk.warc"
        junk.write_bytes(b"<html>" + b"not a crawl at all " * 20 + b"</html>")
        [error] = list(read_warc(str(junk), ["response"], MB))
        assert "unreadable" in error.message and error.source.offset == 0
        request = gzip.decompress(_raw_records(_pages(1))[0]).replace(
            b"WARC-Type: response", b"WARC-Type: request"
        )
        mixed = tmp_path / "mixed.warc"
        mixed.write_bytes(request + b"".join(gzip.decompress(r) for r in _raw_records(_pages(2))))
        items = list(read_warc(str(mixed), ["response"], MB))
        assert len(_docs(items)) == 2 and not _errors(items)  # a record not asked for is not a gap

    def test_oversized_record_is_an_error_not_a_document(self, tmp_path: Path):
        body = b"<html><body>" + b"x" * (3 * MB) + b"</body></html>"
        path = write_warc(
            tmp_path / "big.warc.gz", [("https://example.cn/big", body, "text/html"), *_pages(1)]
        )
        items = list(read_warc(str(path), ["response"], 1 * MB))
        assert len(_docs(items)) == 1
        [error] = _errors(items)
        assert "exceeds" in error.message and error.source.index == 0

    def test_non_text_response_is_recorded(self, tmp_path: Path):
        path = write_warc(
            tmp_path / "img.warc.gz", [("https://example.cn/a.png", b"\x89PNG....", "image/png")]
        )
        [error] = list(read_warc(str(path), ["response"], MB))
        assert "image/png" in error.message


def _raw_records(pages):
    from taoyu.io.warc import warc_response_record

    return [warc_response_record(u, b, content_type=c) for u, b, c in pages]


class TestJsonl:
    @pytest.mark.parametrize("compress", [None, "gz", "zst"])
    def test_reads_plain_and_compressed(self, tmp_path: Path, compress):
        suffix = {None: "", "gz": ".gz", "zst": ".zst"}[compress]
        path = write_jsonl(tmp_path / f"a.jsonl{suffix}", text_records(5), compress)
        docs = _docs(read_jsonl(str(path), max_record_bytes=MB, **FIELDS))
        assert [d.id for d in docs] == [f"doc-{i}" for i in range(5)]
        assert docs[2].url == "https://example.cn/doc/2"

    def test_invalid_line_and_bad_utf8_are_errors_and_reading_goes_on(self, tmp_path: Path):
        path = tmp_path / "bad.jsonl"
        path.write_bytes(
            b'{"text": "\xe7\xac\xac\xe4\xb8\x80"}\n'
            b'{"text": "broken\n'
            b'{"text": "\xff\xfe bad bytes"}\n'
            b"[1, 2]\n"
            b'{"body": "no text field"}\n'
            b'{"text": "\xe6\x9c\x80\xe5\x90\x8e"}\n'
        )
        items = list(read_jsonl(str(path), max_record_bytes=MB, **FIELDS))
        assert [d.text for d in _docs(items)] == ["第一", "最后"]
        errors = _errors(items)
        assert len(errors) == 4
        assert errors[0].source.offset == len(b'{"text": "\xe7\xac\xac\xe4\xb8\x80"}\n')
        assert "invalid JSON" in errors[0].message
        assert "UTF-8" in errors[1].message
        assert "not an object" in errors[2].message
        assert "'text'" in errors[3].message

    def test_truncated_gzip_is_reported(self, tmp_path: Path):
        data = write_jsonl(tmp_path / "a.jsonl.gz", text_records(2000), "gz").read_bytes()
        path = tmp_path / "cut.jsonl.gz"
        path.write_bytes(data[: len(data) // 2])
        items = list(read_jsonl(str(path), max_record_bytes=MB, **FIELDS))
        assert len(_docs(items)) > 0
        [error] = _errors(items)
        assert "truncated" in error.message

    @pytest.mark.parametrize("compress", ["gz", "zst"])
    def test_a_damaged_compressed_block_is_reported_not_raised(self, tmp_path: Path, compress):
        """Bytes changed inside the compressed stream (not cut off): gzip raises ``zlib.error`` and
        zstd its own error, neither an OSError; both end the file with an input error. Found by
        ``bench/fuzz.py``."""
        written = write_jsonl(tmp_path / f"a.jsonl.{compress}", text_records(300), compress)
        data = bytearray(written.read_bytes())
        for at in range(len(data) // 3, len(data) // 3 + 40):
            data[at] ^= 0x55
        path = tmp_path / f"damaged.jsonl.{compress}"
        path.write_bytes(bytes(data))
        items = list(read_jsonl(str(path), max_record_bytes=MB, **FIELDS))
        [error] = _errors(items)
        assert "corrupt" in error.message and error.source.file == str(path)
        assert len(_docs(items)) < 300

    def test_huge_line_is_skipped_with_an_error(self, tmp_path: Path):
        path = tmp_path / "huge.jsonl"
        path.write_bytes(b'{"text": "' + b"a" * (2 * MB) + b'"}\n{"text": "next"}\n')
        items = list(read_jsonl(str(path), max_record_bytes=MB, **FIELDS))
        assert [d.text for d in _docs(items)] == ["next"]
        assert "exceeds" in _errors(items)[0].message

    @settings(max_examples=40, deadline=None)
    @given(
        lines=st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=40),
        slice_bytes=st.integers(min_value=1, max_value=200),
    )
    def test_slices_cover_every_line_exactly_once(self, tmp_path_factory, lines, slice_bytes):
        path = tmp_path_factory.mktemp("slices") / "s.jsonl"
        write_jsonl(path, [{"text": t, "id": str(i)} for i, t in enumerate(lines)])
        size = path.stat().st_size
        whole = [(d.id, d.text) for d in _docs(read_jsonl(str(path), max_record_bytes=MB, **FIELDS))]
        pieces = []
        for start in range(0, size, slice_bytes):
            items = read_jsonl(
                str(path), max_record_bytes=MB, start=start, stop=min(size, start + slice_bytes), **FIELDS
            )
            pieces.extend((d.id, d.text) for d in _docs(items))
        assert pieces == whole == [(str(i), t) for i, t in enumerate(lines)]


class TestParquet:
    def test_reads_rows_and_row_group_slices(self, tmp_path: Path):
        path = write_parquet(tmp_path / "a.parquet", text_records(50), row_group_size=10)
        whole = _docs(read_parquet(str(path), max_record_bytes=MB, **FIELDS))
        assert len(whole) == 50 and whole[7].id == "doc-7" and whole[7].source.index == 7
        parts = [
            _docs(read_parquet(str(path), max_record_bytes=MB, start=s, stop=s + 2, **FIELDS))
            for s in (0, 2, 4)
        ]
        assert [d.id for p in parts for d in p] == [d.id for d in whole]
        assert parts[1][0].source.index == 20

    def test_a_column_python_cannot_hold_keeps_its_rows(self, tmp_path: Path):
        """A timestamp past year 9999 has no Python datetime: the column is read as text instead of
        failing the row group (found by ``bench/fuzz.py``)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = tmp_path / "dates.parquet"
        far = pa.array([2**50, 5], pa.timestamp("ms"))
        pq.write_table(pa.table({"text": ["甲", "乙"], "id": ["a", "b"], "date": far}), path)
        docs = _docs(read_parquet(str(path), max_record_bytes=MB, **FIELDS))
        assert [(d.id, d.text) for d in docs] == [("a", "甲"), ("b", "乙")]
        assert isinstance(docs[0].meta["crawl_date"], str) and docs[1].meta["crawl_date"].startswith("1970")

    def test_an_error_arrow_does_not_implement_is_an_input_error(self, tmp_path: Path, monkeypatch):
        """Some damaged footers make Arrow raise ``ArrowNotImplementedError`` ("Integers with more
        than 64 bits"), a ``NotImplementedError``, not a ``ValueError`` (found by ``bench/fuzz.py``)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = write_parquet(tmp_path / "a.parquet", text_records(3))

        def damaged(*args, **kwargs):
            raise pa.ArrowNotImplementedError("Integers with more than 64 bits not implemented")

        monkeypatch.setattr(pq, "ParquetFile", damaged)
        [error] = list(read_parquet(str(path), max_record_bytes=MB, **FIELDS))
        assert "unreadable Parquet" in error.message and "64 bits" in error.message

    def test_missing_text_column_and_corrupt_file(self, tmp_path: Path):
        path = write_parquet(tmp_path / "a.parquet", [{"body": "x"}])
        [error] = list(read_parquet(str(path), max_record_bytes=MB, **FIELDS))
        assert "no 'text' column" in error.message
        bad = tmp_path / "bad.parquet"
        bad.write_bytes(b"PAR1 not really parquet")
        [error] = list(read_parquet(str(bad), max_record_bytes=MB, **FIELDS))
        assert "unreadable Parquet" in error.message

    def test_large_file_is_planned_as_several_tasks(self, tmp_path: Path):
        path = write_parquet(tmp_path / "a.parquet", text_records(400), row_group_size=50)
        files = expand_inputs([str(path)])
        tasks = plan_tasks(files, slice_bytes=path.stat().st_size // 4)
        assert len(tasks) > 1
        ids = [d.id for t in tasks for d in _docs(read_task(t, ReaderConfig()))]
        assert ids == [f"doc-{i}" for i in range(400)]


class TestHtmlFiles:
    def test_folder_of_pages_binary_junk_and_empty_files(self, tmp_path: Path):
        site = tmp_path / "site"
        (site / "sub").mkdir(parents=True)
        (site / "a.html").write_text(article_html(1))
        (site / "sub" / "b.htm").write_bytes(article_html(2, charset="gbk").encode("gbk"))
        (site / "empty.html").write_bytes(b"")
        (site / "notes.txt").write_text("ignored: not a page")
        files = expand_inputs([str(site)])
        assert [Path(f.path).name for f in files] == ["a.html", "empty.html", "b.htm"]
        items = list(read_html_files(tuple(f.path for f in files), MB))
        assert len(_docs(items)) == 2
        assert "empty" in _errors(items)[0].message


class TestEmptyAndMissing:
    @pytest.mark.parametrize("name", ["e.jsonl", "e.warc.gz", "e.parquet", "e.jsonl.gz"])
    def test_empty_file_is_an_input_error(self, tmp_path: Path, name):
        path = tmp_path / name
        path.write_bytes(b"")
        [task] = plan_tasks(expand_inputs([str(path)]), 256 * MB)
        [error] = list(read_task(task, ReaderConfig()))
        assert isinstance(error, InputError) and "empty" in error.message

    def test_missing_input_is_a_clear_error(self, tmp_path: Path):
        from taoyu.io.tasks import InputNotFoundError

        with pytest.raises(InputNotFoundError, match="nope"):
            expand_inputs([str(tmp_path / "nope.jsonl")])

    def test_globs_expand_sorted(self, tmp_path: Path):
        for name in ("b.jsonl", "a.jsonl", "c.jsonl.gz"):
            write_jsonl(tmp_path / name, text_records(1), "gz" if name.endswith(".gz") else None)
        files = expand_inputs([str(tmp_path / "*.jsonl*")])
        assert [Path(f.path).name for f in files] == ["a.jsonl", "b.jsonl", "c.jsonl.gz"]
        assert all(f.format == "jsonl" for f in files)


def test_task_label_names_slices():
    task = Task(3, "jsonl", ("x.jsonl",), 10, 20, 10)
    assert task.label == "x.jsonl [10:20]"
