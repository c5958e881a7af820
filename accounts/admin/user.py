from django.contrib import admin
from unfold.admin import ModelAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(ModelAdmin):
    list_display = ["first_name", "last_name", "email"]
