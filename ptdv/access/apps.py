from typing import Any

from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "ptdv.access"
    label = "access"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_logged_in, dispatch_uid="ptdv.access.logged_in")


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A complete log-in (password and, where on, the second factor) clears the account's
    failure count and starts the idle clock."""
    import datetime as dt
    import time

    from django.utils import timezone

    from ptdv.access.auth import record_attempt
    from ptdv.access.middleware import SEEN_KEY, remember
    from ptdv.access.models import LoginAttempt

    record_attempt(request, user.get_username(), succeeded=True)
    # the attempts log is for throttling and for reading recent history, not an archive
    LoginAttempt.objects.filter(at__lt=timezone.now() - dt.timedelta(days=90)).delete()
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
        remember(request, user)
