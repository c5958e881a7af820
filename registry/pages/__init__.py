"""The page engine: every screen a person sees is drawn by it, in one layout, with one template set.

- `views.Page` is a page: who may see it (`has_permission`, asked on every request), what it is
  about (`setup_object`, a 404 before anyone's rights are asked about it), its title and heading.
  `views.FormPage` adds one form, with "Error: " in the title while it has errors.
- `flows.Flow` is a multi-step question-and-answer journey (each `Step` a page, the answers kept
  in a session `drafts.Draft`), ending in check your answers and a service call on "Save".
  `change_flows.ChangeFlow` changes one record, and refuses to save over someone else's change.
- `confirm.ConfirmPage` asks "Confirm you want to …" and acts only on POST.
- `lists.ListPage` is a searchable, filtered, paginated table, with applied filters as tags.
- `summary` builds GOV.UK summary-list rows and cards.
- `history.HistoryPage` is a record's history: its changes (and its own records'), newest first.
- `pagination.pagination` gives a page of Django's Paginator the GOV.UK pagination's links.
- `content.ContentPage` is a page of running text anyone may read (the footer's pages).
- `widgets` draws inputs in GOV.UK style (`RadioWithHints` gives each option a hint of its own);
  `dates.GovukDateField` asks a date as day, month and year.
- `mount.ServicePagesAdminMixin` mounts pages on a ModelAdmin's URLs and refuses Django's stock
  views: the admin is plumbing (URLs, sign-in), never the interface.

Templates are under `templates/pages/`; every page extends `pages/base.html`.
"""
