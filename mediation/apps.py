from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("纠纷调解")

    def ready(self):
        from core.integrity import register_verified_files

        register_verified_files("mediation.Agent", "document", "document_sha256")
        from django.urls import reverse

        from core.dashboard.links import register_item_link
        from core.dashboard.selectors import register_item_kind
        from core.roles import Role, extend_role_permissions
        from core.services.calendar_change import on_deadlines_moved

        from .calendar_sync import mediation_cases_follow_moved_deadlines

        on_deadlines_moved(mediation_cases_follow_moved_deadlines)
        register_item_kind("mediation", _("纠纷调解"))
        register_item_link("mediation.mediationcase", lambda pk: reverse("mediation:detail", args=[pk]))

        # The roster is reference data: the office reads it, the administrator maintains it in the admin.
        view_roster = ["mediation.view_partnerorganisation", "mediation.view_mediator"]
        extend_role_permissions(
            Role.CLERK, [*view_roster, "mediation.view_mediationcase", "mediation.add_mediationcase"]
        )
        extend_role_permissions(
            Role.SUPERVISOR, [*view_roster, "mediation.view_mediationcase", "mediation.add_mediationcase"]
        )
        extend_role_permissions(Role.REVIEWER, [*view_roster, "mediation.view_mediationcase"])
        extend_role_permissions(Role.MEDIATOR, ["mediation.view_mediationcase"])
        extend_role_permissions(
            Role.ADMINISTRATOR,
            [
                *view_roster,
                "mediation.add_partnerorganisation",
                "mediation.change_partnerorganisation",
                "mediation.add_mediator",
                "mediation.change_mediator",
                "mediation.view_mediationcase",
            ],
        )
