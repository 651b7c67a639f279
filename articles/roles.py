"""The newsroom's roles, as groups with permissions (created by migration 0005).

Row-level limits (a reporter edits only their own drafts, an editor only the pages they are
given, a reviewer only articles at their level) are applied by articles/workflow.py.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EDIT_CONTENT = [
    "view_publication",
    "view_issue",
    "view_page",
    "view_article",
    "add_article",
    "change_article",
    "submit_article",
    "view_byline",
    "add_byline",
    "change_byline",
    "delete_byline",
    "view_photo",
    "add_photo",
    "change_photo",
    "delete_photo",
    "view_contributor",
    "add_contributor",
    "view_correction",
    "view_workflowstep",
]
REVIEW = [
    "view_publication",
    "view_issue",
    "view_page",
    "view_article",
    "change_article",
    "view_byline",
    "add_byline",
    "change_byline",
    "delete_byline",
    "view_photo",
    "change_photo",
    "view_contributor",
    "view_correction",
    "view_workflowstep",
]

# Uploading an issue's page PDFs, and reading failed pages again (migration 0014).
UPLOAD_PAGES = ["view_issueupload", "add_issueupload", "change_issueupload"]

ROLES: dict[str, list[str]] = {
    # 记者: writes articles and edits them while they are their own drafts.
    "reporter": EDIT_CONTENT,
    # 编辑: edits every article on the pages they are given, puts pages together.
    "editor": [
        *EDIT_CONTENT,
        "change_page",
        "add_page",
        "change_contributor",
        *UPLOAD_PAGES,
    ],
    # 初审, 复审, 终审: pass or return articles at their level, correcting them on the way.
    "first_reviewer": [*REVIEW, "review_first"],
    "second_reviewer": [*REVIEW, "review_second"],
    "final_reviewer": [*REVIEW, "review_final"],
    # 值班总编: everything, including publishing issues and articles and corrections.
    "chief": [
        *EDIT_CONTENT,
        *REVIEW,
        "review_first",
        "review_second",
        "review_final",
        "publish_article",
        "publish_issue",
        "change_any_article",
        "delete_article",
        "add_issue",
        "change_issue",
        "delete_issue",
        "add_page",
        "change_page",
        "delete_page",
        "add_publication",
        "change_publication",
        "change_contributor",
        "add_correction",
        "change_correction",
        "delete_correction",
        *UPLOAD_PAGES,
    ],
}

# What each role is called where people pick roles; the group keeps its code as its name, which
# `manage.py create_staff --role` and the migrations use.
ROLE_LABELS = {
    "reporter": _("Reporter"),
    "editor": _("Page editor"),
    "first_reviewer": _("First review"),
    "second_reviewer": _("Second review"),
    "final_reviewer": _("Final review"),
    "chief": _("Duty chief editor"),
}


def role_label(name: str) -> str:
    """A group's name as people read it: the role's, or the name a superuser gave it."""
    return str(ROLE_LABELS.get(name, name))
