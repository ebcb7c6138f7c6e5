from django.urls import path

from .views import home, institutions, interviews, lists, surveys

app_name = "institutions"

urlpatterns = [
    path("", home.index, name="index"),
    path("ranking/", institutions.ranking, name="ranking"),
    path("import/", institutions.import_institutions, name="import"),
    path("import/template.xlsx", institutions.import_template, name="import_template"),
    path("interviews/", interviews.interview_list, name="interview_list"),
    path("interviews/new/", interviews.interview_create, name="interview_create"),
    path("interviews/propose/", interviews.interview_propose, name="interview_propose"),
    path("interviews/<int:pk>/", interviews.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/attach/", interviews.interview_attach, name="interview_attach"),
    path(
        "interviews/<int:pk>/items/<int:item_pk>/done/",
        interviews.rectification_done,
        name="rectification_done",
    ),
    path("interviews/<int:pk>/<slug:action>/", interviews.interview_action, name="interview_action"),
    path("rectification/<int:pk>/", interviews.rectification_item, name="rectification_item"),
    path("findings/<int:pk>/", surveys.survey_finding, name="survey_finding"),
    path("attachments/<int:pk>/", interviews.attachment_download, name="attachment_download"),
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/findings/", surveys.survey_add_finding, name="survey_add_finding"),
    path("surveys/<int:pk>/close/", surveys.survey_close, name="survey_close"),
    path(
        "surveys/<int:pk>/findings/<int:finding_pk>/interview/",
        surveys.survey_finding_interview,
        name="survey_finding_interview",
    ),
    path(
        "surveys/<int:pk>/findings/<int:finding_pk>/follow-up/",
        surveys.survey_follow_up,
        name="survey_follow_up",
    ),
    path(
        "surveys/<int:pk>/findings/<int:finding_pk>/to-list/",
        surveys.survey_finding_to_list,
        name="survey_finding_to_list",
    ),
    path("lists/", lists.list_index, name="list_index"),
    path("lists/new/", lists.list_create, name="list_create"),
    path("lists/<int:pk>/", lists.list_detail, name="list_detail"),
    path("lists/<int:pk>/generate/", lists.list_generate, name="list_generate"),
    path("lists/<int:pk>/status/", lists.list_status, name="list_status"),
    path("lists/<int:pk>/download/<slug:kind>/", lists.list_download, name="list_download"),
    path("lists/<int:pk>/items/<int:item_pk>/decide/", lists.item_decide, name="item_decide"),
    path("lists/<int:pk>/items/<int:item_pk>/edit/", lists.item_edit, name="item_edit"),
    path("lists/<int:pk>/rows/<int:row_pk>/items/", lists.item_add, name="item_add"),
    path("lists/<int:pk>/rows/<int:row_pk>/assessment/", lists.row_assessment, name="row_assessment"),
    path("lists/<int:pk>/<slug:action>/", lists.list_action, name="list_action"),
]
