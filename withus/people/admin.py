"""Django admin for installation superusers. Special category data is deliberately not registered."""

from django.contrib import admin

from .models import ConsentRecord, Person, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ["kind", "name", "name_cy", "slug"]
    list_filter = ["kind"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["full_name", "perspective", "status", "local_authority"]
    list_filter = ["status", "perspective"]
    search_fields = ["full_name", "email"]
    filter_horizontal = ["tags"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    list_display = ["person", "purpose", "organisation", "given_at", "withdrawn_at"]
    list_filter = ["purpose"]
