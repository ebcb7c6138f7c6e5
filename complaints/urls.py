from django.urls import path

from .views import archive, cases, contacts, documents, exposure, imports, intake, ledger, pauses, transfers

app_name = "complaints"

urlpatterns = [
    # The ledger (台账), its exports and the office summary.
    path("", ledger.index, name="index"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("ledger/exports/<int:pk>/", ledger.export_status, name="export_status"),
    path("ledger/exports/<int:pk>/download/", ledger.export_download, name="export_download"),
    path("summary/", ledger.summary, name="summary"),
    # The office's old ledgers and batches of 12378 items brought in from Excel.
    path("imports/", imports.import_start, name="import_start"),
    path("imports/template/", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/run/", imports.import_run, name="import_run"),
    # Intake, the case page, its actions, documents and attachments.
    path("intake/", intake.intake, name="intake"),
    path("intake/repeats/", intake.repeat_candidates, name="repeat_candidates"),
    # Visit and call records (来访来电记录), answered on the spot or not.
    path("contacts/", contacts.contact_list, name="contact_list"),
    path("contacts/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/reveal/", contacts.contact_reveal, name="contact_reveal"),
    path("contacts/<int:pk>/correct/", contacts.contact_correct, name="contact_correct"),
    # Petitions transferred to another authority (转送登记).
    path("transfers/", transfers.transfer_list, name="transfer_list"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("steps/<int:step_pk>/", cases.step_redirect, name="step_redirect"),
    path("cases/<int:pk>/reveal/", cases.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/actions/<slug:action>/", cases.case_action, name="case_action"),
    path("cases/<int:pk>/clock/pause/", pauses.clock_pause, name="clock_pause"),
    path("cases/<int:pk>/clock/resume/", pauses.clock_resume, name="clock_resume"),
    path("cases/<int:pk>/major/", pauses.mark_major, name="mark_major"),
    path("cases/<int:pk>/interview/", exposure.interview_from_case, name="interview_from_case"),
    path("cases/<int:pk>/major/report/", pauses.urgent_report, name="urgent_report"),
    path("cases/<int:pk>/extensions/<int:request_pk>/decide/", cases.extension_decide, name="extension_decide"),
    path("cases/<int:pk>/steps/<int:step_pk>/complete/", cases.step_complete, name="step_complete"),
    path("cases/<int:pk>/attachments/", cases.attachment_upload, name="attachment_upload"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/", cases.attachment_download, name="attachment_download"),
    path("cases/<int:pk>/documents/<int:document_pk>.pdf", documents.document_pdf, name="document_pdf"),
    # The archive (归档): filing, supplements, the bundle, the yearly list, destruction decisions.
    path("cases/<int:pk>/archive/", archive.case_file, name="case_file"),
    path("cases/<int:pk>/archive/supplements/", archive.supplement_add, name="supplement_add"),
    path("cases/<int:pk>/archive/bundle/", archive.bundle_request, name="bundle_request"),
    path("cases/<int:pk>/archive/bundle/status/", archive.bundle_status, name="bundle_status"),
    path("cases/<int:pk>/archive/bundle.<str:part>", archive.bundle_download, name="bundle_download"),
    path("archive/", archive.archive_index, name="archive_index"),
    path("archive/destruction/", archive.destruction_index, name="destruction_index"),
    path("archive/<int:archive_pk>/destruction/", archive.destruction_propose, name="destruction_propose"),
    path("archive/destruction/<int:decision_pk>/", archive.destruction_decide, name="destruction_decide"),
]
