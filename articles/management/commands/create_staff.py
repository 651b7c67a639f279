"""Set a person up in the newsroom: a staff account with one or more roles (articles/roles.py)."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.roles import ROLES

PASSWORD_VARIABLE = "NEWSROOM_STAFF_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create a staff account, or change an existing one's roles, e.g. "
        "create_staff wang --role editor --role first_reviewer. Roles: " + ", ".join(ROLES)
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=list(ROLES),
            help="A role to give; repeat for several. Roles not named are taken away.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: a new account's password comes from ${PASSWORD_VARIABLE}, "
            "or it has none until `manage.py changepassword` sets one.",
        )

    def handle(self, *args, username, role, email, interactive, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError(_("Give a user name."))
        # The checks of Django's own user forms and createsuperuser: the name's characters
        # and length, the address's form.
        username = self.cleaned(User, User.USERNAME_FIELD, username)
        email = self.cleaned(User, User.get_email_field_name(), email) if email else email
        missing = sorted(
            set(role) - set(Group.objects.filter(name__in=role).values_list("name", flat=True))
        )
        if missing:
            raise CommandError(
                _("The role groups %(roles)s do not exist; run `manage.py migrate` first.")
                % {"roles": ", ".join(missing)}
            )
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = self.new_password(username, email, interactive)
        with transaction.atomic():
            created = user is None
            if created:
                user = User(username=username, email=email)
                if password:
                    user.set_password(password)
                else:
                    user.set_unusable_password()
            elif email:
                user.email = email
            user.is_staff = True
            user.save()
            others = user.groups.filter(name__in=ROLES).exclude(name__in=role)
            user.groups.remove(*others)
            user.groups.add(*Group.objects.filter(name__in=role))
        roles = ", ".join(sorted(set(role)))
        if created:
            message = _("Created %(user)s with the roles %(roles)s.")
        else:
            message = _("%(user)s now has the roles %(roles)s.")
        self.stdout.write(self.style.SUCCESS(message % {"user": username, "roles": roles}))
        if created and not password:
            self.stdout.write(
                _("%(user)s has no password yet: set one with `manage.py changepassword %(user)s`.")
                % {"user": username}
            )

    @staticmethod
    def cleaned(model, name: str, value: str) -> str:
        try:
            return model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def new_password(self, username: str, email: str, interactive: bool) -> str | None:
        """Ask twice on a terminal, or take the environment variable; check it either way."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None and interactive and os.isatty(0):
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords differ; nothing was created."))
        if not password:
            return None
        try:
            password_validation.validate_password(
                password, get_user_model()(username=username, email=email)
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
