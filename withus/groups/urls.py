from django.urls import path

from . import views
from .agreements import views as agreement_views

app_name = "groups"
urlpatterns = [
    # Under /staff/opportunities/ as before the groups had an app of their own, so links keep working.
    path("staff/opportunities/groups/", views.groups, name="groups"),
    path("staff/groups/<int:group_id>/ballots/", views.new_ballot, name="new_ballot"),
    path("staff/groups/seats/<int:appointment_id>/end/", views.end_seat, name="end_seat"),
    path("staff/groups/<int:group_id>/agreement/", agreement_views.staff_agreement, name="agreement"),
    path("staff/code-of-conduct/", agreement_views.staff_code, name="code_of_conduct"),
    path("staff/people/<int:pk>/code-of-conduct/", agreement_views.staff_person_code, name="staff_person_code"),
    path("me/agreements/", agreement_views.mine, name="my_agreements"),
    path("staff/ballots/<int:ballot_id>/", views.manage_ballot, name="manage_ballot"),
    path("me/ballots/", views.group_ballots, name="ballots"),
    path("me/ballots/<int:ballot_id>/", views.ballot, name="ballot"),
    path("me/ballots/<int:ballot_id>/list.csv", views.ballot_list_csv, name="ballot_list_csv"),
    path("me/ballots/<int:ballot_id>/list.xlsx", views.ballot_list_xlsx, name="ballot_list_xlsx"),
]
urlpatterns += [
    path("me/structure/<slug:slug>/", views.structure, name="structure"),
    path("me/representatives/", views.my_representatives, name="representatives"),
    path("me/representatives/<int:appointment_id>/", views.representative, name="representative"),
]
