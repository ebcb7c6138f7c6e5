from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("机构与清单")

    def ready(self):
        from core.integrity import register_verified_files

        register_verified_files("institutions.InterviewAttachment", "file", "sha256")
        register_verified_files("institutions.QuarterlyList", "pdf_file", "pdf_sha256")
        register_verified_files("institutions.QuarterlyList", "xlsx_file", "xlsx_sha256")
        from core.roles import Role, extend_role_permissions

        staff = [
            "institutions.view_interview",
            "institutions.view_survey",
            "institutions.view_quarterlylist",
            "institutions.view_interviewtriggerrule",
            "institutions.view_listsuggestionrule",
        ]
        self._register_item_links()
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

    @staticmethod
    def _register_item_links():
        """Let my-work and the reminders link to the items whose due dates this app opens (when that app exists)."""
        import importlib
        import importlib.util

        if importlib.util.find_spec("core.dashboard.links") is None:
            return
        links = importlib.import_module("core.dashboard.links")
        from django.urls import reverse

        from core.dashboard.selectors import register_item_kind

        register_item_kind("institutions.interview.self_inspection", _("约谈：机构自查"))
        register_item_kind("institutions.rectification", _("约谈：整改事项"))
        register_item_kind("institutions.survey_follow_up", _("专项调研：整改反馈"))
        for label, name in (
            ("institutions.interview", "institutions:interview_detail"),
            ("institutions.rectificationitem", "institutions:rectification_item"),
            ("institutions.surveyfinding", "institutions:survey_finding"),
        ):
            links.register_item_link(label, lambda pk, name=name: reverse(name, args=[pk]))
