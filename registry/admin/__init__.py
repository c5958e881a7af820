from django.contrib import admin

from registry.admin import provider  # noqa: F401  (registers the ModelAdmin)

# Deleting is soft everywhere, through each model's own confirmation page; the bulk action would
# delete rows outright, past those rules and past the history.
admin.site.disable_action("delete_selected")
