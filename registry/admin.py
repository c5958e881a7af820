from django.contrib import admin

# Deleting is soft everywhere, through each model's own confirmation page; the bulk action would
# delete rows outright, past those rules and past the history.
admin.site.disable_action("delete_selected")
