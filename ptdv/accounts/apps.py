from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ptdv.accounts"
    label = "accounts"

    def ready(self) -> None:
        from ptdv.accounts import tree_hooks
        from ptdv.organizations import services as orgs

        # positions follow the units they are held in when the tree is restructured
        orgs.tree_changed.connect(
            tree_hooks.positions_follow_units, dispatch_uid="access.positions"
        )
