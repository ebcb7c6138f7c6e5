from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.register, name="register"),
    path("refer/<int:case_pk>/", views.refer_case, name="refer_case"),
    path("figures/", views.figures, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/recusal/", views.recusal, name="recusal"),
    path("<int:pk>/recusal/office/", views.recusal_office, name="recusal_office"),
    path("<int:pk>/consent/", views.record_consent, name="consent"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/agents/", views.add_agent, name="add_agent"),
    path("<int:pk>/agents/<int:agent_pk>/document/", views.agent_document, name="agent_document"),
    path("<int:pk>/sessions/", views.record_session, name="record_session"),
    path("<int:pk>/sessions/<int:session_pk>/offers/", views.record_offer, name="record_offer"),
    path("<int:pk>/sessions/<int:session_pk>/notes/", views.record_private_note, name="record_private_note"),
    path("<int:pk>/outcome/", views.record_outcome, name="record_outcome"),
    path("<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/confirmation/", views.record_confirmation, name="record_confirmation"),
    path("<int:pk>/confirmation/waive/", views.waive_confirmation, name="waive_confirmation"),
    path("<int:pk>/payments/", views.record_payment, name="record_payment"),
]
