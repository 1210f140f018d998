from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("staff/imports/", views.imports_list, name="list"),
    path("staff/imports/<int:pk>/", views.import_detail, name="detail"),
    path("staff/imports/<int:pk>/columns/", views.import_columns, name="columns"),
    path("staff/imports/<int:pk>/undo/", views.import_undo, name="undo"),
    path("staff/imports/<int:pk>/abandon/", views.import_abandon, name="abandon"),
]
