"""The activity benchmark's verdicts: scaling and queries per page, and the export's rate and memory."""

from bench import activity_scaling


def _report(capsys, *, large_ms: float, queries: int, rows_per_second: float, growth_mb: float) -> str:
    sizes = [10_000, 1_000_000]
    pages = {10_000: {"first page": [100.0] * 3}, 1_000_000: {"first page": [large_ms] * 3}}
    shapes = {size: {"first page": {"queries": queries, "kb": 50}} for size in sizes}
    exports = {
        100_000: {"rows": 270_000, "seconds": 10.0, "cpu": 9.0, "before_mb": 150, "growth_mb": 20.0},
        1_000_000: {
            "rows": 2_700_000,
            "seconds": 2_700_000 / rows_per_second,
            "cpu": 100.0,
            "before_mb": 150,
            "growth_mb": growth_mb,
        },
    }

    class Args:
        repeats = 3

    activity_scaling._report(sizes, pages, shapes, exports, Args, elapsed=60)
    return capsys.readouterr().out


def _line(output: str, start: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(start))


def test_a_page_passes_within_its_scaling_and_query_targets(capsys):
    output = _report(capsys, large_ms=120.0, queries=6, rows_per_second=25_000, growth_mb=25.0)

    cells = [cell.strip() for cell in _line(output, "| first page").split("|")[1:-1]]
    assert cells == ["first page", "6", "100.0", "120.0", "1.20×", "50", "PASS"]
    assert "PASS" in _line(output, "| 1,000,000")
    assert output.rstrip().endswith("PASS")


def test_a_page_fails_when_slower_or_with_more_queries(capsys):
    assert "FAIL" in _line(_report(capsys, large_ms=140.0, queries=6, rows_per_second=25_000, growth_mb=5), "| first")
    assert "FAIL" in _line(_report(capsys, large_ms=100.0, queries=7, rows_per_second=25_000, growth_mb=5), "| first")


def test_the_export_fails_when_slow_or_when_memory_grows_with_the_changes(capsys):
    slow = _report(capsys, large_ms=100.0, queries=6, rows_per_second=19_000, growth_mb=5)
    growing = _report(capsys, large_ms=100.0, queries=6, rows_per_second=25_000, growth_mb=80)

    assert "FAIL" in _line(slow, "| 1,000,000")
    assert growing.rstrip().endswith("FAIL")
