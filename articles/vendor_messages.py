"""Interface text of other apps that their own catalogues leave in English under zh-hans.

django-axes and django-reversion-compare ship no Simplified Chinese, and Django's own
catalogue lacks a few messages newer than its last translation. Django looks for every
app's messages in the project's catalogue first (LOCALE_PATHS), so they are translated
there; they are named here, with gettext_noop, only so that `makemessages` keeps them in
locale/zh_Hans/LC_MESSAGES/django.po. Nothing imports this module.
articles/tests/test_language.py fails when a message someone reads is missing.

Django's admin scripts (the page editors' picker) read theirs from
locale/zh_Hans/LC_MESSAGES/djangojs.po, kept by hand: the project's own scripts take their
text from the templates, so `makemessages -d djangojs` is never run.
"""

from django.utils.translation import gettext_noop

DJANGO = [
    # admin/app_list.html's headings for screen readers (Django 5.1).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # admin/auth/user/add_form.html (Django 5.1).
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
]

AXES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Status"),
]

# django-reversion's app, named in the list of permissions.
REVERSION = [gettext_noop("Reversion")]

REVERSION_COMPARE = [
    gettext_noop("compare"),
    gettext_noop("Comment"),
    gettext_noop("previous"),
    gettext_noop("next"),
    gettext_noop("add:"),
    gettext_noop("remove:"),
    gettext_noop("changed to:"),
    gettext_noop("time since that date:"),
    gettext_noop("Field didn't exist!"),
    gettext_noop("Compare %(name)s"),
]
