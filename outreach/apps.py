from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("宣传教育")

    def ready(self):
        from core.integrity import register_verified_files

        register_verified_files("outreach.EventPhoto", "file", "sha256")
        from core.roles import Role, extend_role_permissions

        view = [
            "outreach.view_event",
            "outreach.view_eventphoto",
            "outreach.view_mediawork",
            "outreach.view_mediaaward",
            "outreach.view_trainingsession",
            "outreach.view_gridcell",
            "outreach.view_campaign",
            "outreach.view_brand",
            "outreach.view_topic",
            "outreach.view_targetgroup",
            "outreach.view_venuetype",
            "outreach.view_trainingseries",
        ]
        record = [
            "outreach.add_event",
            "outreach.change_event",
            "outreach.add_eventphoto",
            "outreach.delete_eventphoto",
            "outreach.add_mediawork",
            "outreach.change_mediawork",
            "outreach.add_mediaaward",
            "outreach.add_trainingsession",
            "outreach.change_trainingsession",
        ]
        reference = [
            f"outreach.{verb}_{model}"
            for model in ("brand", "campaign", "topic", "targetgroup", "venuetype", "gridcell", "trainingseries")
            for verb in ("add", "change", "delete")
        ]
        extend_role_permissions(Role.CLERK, view + record)
        extend_role_permissions(Role.SUPERVISOR, view + record)
        extend_role_permissions(Role.REVIEWER, view)
        extend_role_permissions(Role.ADMINISTRATOR, view + reference)
