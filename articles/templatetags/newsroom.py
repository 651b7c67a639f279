"""Template helpers for the reader's pages."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.filter
def svg_points(region) -> str:
    """A stored region ([[x, y], ...]) as an SVG polygon's points attribute."""
    return " ".join(f"{int(x)},{int(y)}" for x, y in region)


# Persons credited for the text, as schema.org wants them under "author".
AUTHOR_ROLES = {"reporter", "correspondent", "author"}
# In a <script> element these would end it or start markup; JSON allows their escapes.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def article_jsonld(context, article) -> str:
    """schema.org NewsArticle for an article page, with its print fields when it was printed."""
    absolute = context["request"].build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": byline.contributor.name,
                "url": absolute(byline.contributor.get_absolute_url()),
            }
            for byline in article.bylines.all()
            if byline.role in AUTHOR_ROLES
        ],
        "publisher": {"@type": "Organization", "name": article.publication.name},
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.subheadline:
        data["alternativeHeadline"] = article.subheadline
    images = [absolute(photo.web.url) for photo in article.photos.all() if photo.web]
    if images:
        data["image"] = images
    if article.source_id:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source.name}
    if article.page_id:
        issue = article.page.issue
        data["printEdition"] = issue.date.isoformat()
        data["printPage"] = str(article.page.number)
        if article.page.name:
            data["printSection"] = article.page.name
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above
