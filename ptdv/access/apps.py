from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ptdv.access"
    label = "access"

    def ready(self) -> None:
        from ptdv.access import tree_hooks
        from ptdv.organizations import services as orgs

        orgs.tree_changed.connect(
            tree_hooks.positions_follow_units, dispatch_uid="access.positions"
        )
