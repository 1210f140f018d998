from django.urls import URLPattern, URLResolver, path

from . import views

# Included by withus/impact/urls.py, so the names are "impact:survey_…" and "impact:evaluation_…".
urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/surveys/", views.survey_list, name="survey_list"),
    path("staff/surveys/new/", views.survey_form, name="survey_new"),
    path("staff/surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("staff/surveys/<int:pk>/change/", views.survey_form, name="survey_edit"),
    path("staff/surveys/<int:pk>/questions/", views.survey_question_new, name="survey_question_new"),
    path(
        "staff/surveys/<int:pk>/questions/<int:question>/",
        views.survey_question_change,
        name="survey_question_change",
    ),
    path("staff/surveys/<int:pk>/status/", views.survey_status, name="survey_status"),
    path("staff/surveys/<int:pk>/paper.pdf", views.survey_paper, name="survey_paper"),
    path("staff/surveys/<int:pk>/paper/", views.survey_paper_entry, name="survey_paper_entry"),
    path("staff/surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("staff/surveys/<int:pk>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("staff/surveys/<int:pk>/results.xlsx", views.survey_results_xlsx, name="survey_results_xlsx"),
    path("staff/surveys/<int:pk>/themes/", views.survey_theme, name="survey_theme"),
    path("staff/evaluations/", views.evaluation_list, name="evaluation_list"),
    path("staff/evaluations/form/", views.evaluation_form, name="evaluation_form"),
    path("staff/evaluations/sessions/<int:session>/", views.evaluation_offer, name="evaluation_offer"),
    path("me/surveys/", views.survey_mine, name="survey_mine"),
    path("me/surveys/<int:pk>/", views.survey_answer, name="survey_answer"),
    path("surveys/<str:key>/", views.survey_public, name="survey_public"),
    path("surveys/<str:key>/thanks/", views.survey_public_thanks, name="survey_public_thanks"),
]
