"""The error pages (registry/views.py): 403, 404, 429, 500 and 503, in the service's layout and words,
never a stack trace; and, under /api/, the API's JSON errors instead."""
