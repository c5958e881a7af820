"""The peers the benchmarks compare the service with, over the same `registry.Provider` table.

- `drf`: Django REST framework's ModelSerializer with its TokenAuthentication, the usual way to build
  such an endpoint;
- `prerendered`: the same bytes as the service's own page, returned as they are by a Django view
  (the cost of the request pipeline alone, the most any view could reach);
- `stock_admin`: a plain Django admin on an admin site of its own, rendered with Django's own
  templates.

They are wired in only by `bench.settings` and `bench.urls`.
"""
