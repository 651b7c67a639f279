"""Template helpers for the reader's pages."""

from django import template

register = template.Library()


@register.filter
def credit_groups(bylines) -> list[tuple[str, list]]:
    """Group bylines by role, in order of first appearance: [("记者", [c1, c2]), ...].

    Works on an already prefetched list, so it adds no query.
    """
    groups: dict[str, list] = {}
    for byline in bylines:
        groups.setdefault(byline.get_role_display(), []).append(byline.contributor)
    return list(groups.items())
