from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ptdv.people"
    label = "people"

    def ready(self) -> None:
        from ptdv.organizations import services as orgs
        from ptdv.people import tree_hooks

        orgs.tree_changed.connect(tree_hooks.recut_periods, dispatch_uid="people.recut")
        if tree_hooks.no_members_left not in orgs.closing_checks:
            orgs.closing_checks.append(tree_hooks.no_members_left)
        if tree_hooks.no_transfer_awaiting not in orgs.closing_checks:
            orgs.closing_checks.append(tree_hooks.no_transfer_awaiting)
