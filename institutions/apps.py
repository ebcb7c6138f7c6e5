from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("机构与清单")

    def ready(self):
        from core.roles import Role, extend_role_permissions

        staff = [
            "institutions.view_interview",
            "institutions.view_survey",
            "institutions.view_quarterlylist",
            "institutions.view_interviewtriggerrule",
            "institutions.view_listsuggestionrule",
        ]
        extend_role_permissions(Role.CLERK, staff)
        extend_role_permissions(Role.SUPERVISOR, staff)
        extend_role_permissions(Role.REVIEWER, ["institutions.view_quarterlylist"])
        extend_role_permissions(
            Role.ADMINISTRATOR,
            [
                *staff,
                "institutions.change_interviewtriggerrule",
                "institutions.add_interviewtriggerrule",
                "institutions.change_listsuggestionrule",
                "institutions.add_listsuggestionrule",
            ],
        )
