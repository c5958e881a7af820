"""The API's page cache: bounded in bytes, least recently used out first."""

from registry.api.page_cache import Page, PageCache


def _page(size: int, tag: str = '"x"') -> Page:
    return Page(body=b"x" * size, etag=tag)


def test_keeps_pages_within_its_size_dropping_the_least_recently_used():
    cache = PageCache(max_bytes=300)
    cache.put("a", _page(100))
    cache.put("b", _page(100))
    cache.put("c", _page(100))
    cache.get("a")
    cache.put("d", _page(100))
    assert cache.get("b") is None
    assert [key for key in "acd" if cache.get(key) is not None] == ["a", "c", "d"]


def test_a_page_put_again_replaces_the_old_one_and_its_size():
    cache = PageCache(max_bytes=250)
    cache.put("a", _page(100, '"1"'))
    cache.put("a", _page(100, '"2"'))
    cache.put("b", _page(100))
    assert cache.get("a").etag == '"2"'
    assert len(cache) == 2


def test_a_page_larger_than_the_whole_cache_is_not_kept():
    cache = PageCache(max_bytes=50)
    cache.put("small", _page(10))
    cache.put("large", _page(51))
    assert cache.get("large") is None
    assert cache.get("small") is not None
