from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    # Under /staff/opportunities/ as before the groups had an app of their own, so links keep working.
    path("staff/opportunities/groups/", views.groups, name="groups"),
]
