from django.contrib import admin
from unfold.admin import ModelAdmin

from accounts.models import Email


@admin.register(Email)
class EmailAdmin(ModelAdmin):
    list_display = ["to", "kind", "status", "created_at"]
