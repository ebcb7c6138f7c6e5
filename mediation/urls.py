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
    path("<int:pk>/actions/<slug:action>/", views.case_action, name="case_action"),
    path("<int:pk>/agents/<int:agent_pk>/document/", views.agent_document, name="agent_document"),
    path("<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
]
