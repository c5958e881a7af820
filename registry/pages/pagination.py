"""GOV.UK pagination for a page of Django's Paginator, as `pages/includes/pagination.html` draws it."""

from django.core.paginator import Page as PaginatorPage

PAGE = "page"


def pagination(request, page: PaginatorPage) -> dict | None:
    """Previous, the page numbers (the current one, its neighbours and the ends) and Next.

    Each link is this address with only the page number changed, so filters in the query string
    are kept. None when everything fits on one page.
    """
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def url(number: int) -> str:
        query = request.GET.copy()
        query.pop(PAGE, None)
        if number > 1:
            query[PAGE] = str(number)
        encoded = query.urlencode()
        return f"{request.path}?{encoded}" if encoded else request.path

    return {
        "items": [
            {"number": item, "url": url(item), "current": item == page.number}
            if isinstance(item, int)
            else {"ellipsis": True}
            for item in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ],
        "previous_url": url(page.number - 1) if page.has_previous() else None,
        "next_url": url(page.number + 1) if page.has_next() else None,
    }
