"""Template helpers for the reader's pages."""

import json

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles import caching, images
from articles.models import Issue

register = template.Library()


@register.tag("fragment")
def do_fragment(parser, token):
    """{% fragment "name" topics [vary ...] %}…{% endfragment %}: a part of a reader page,
    cached under the generations of `topics` (a list of articles/caching.py topics) and the
    `vary` values, so it is rendered anew exactly when what it shows changes."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a list of topics")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, *(parser.compile_filter(bit) for bit in bits[1:]))


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, topics, *vary):
        self.nodelist, self.name, self.topics, self.vary = nodelist, name, topics, vary

    def render(self, context) -> str:
        request = context.get("request")
        if request is None or not caching.fragments_on(request):
            return self.nodelist.render(context)
        topics = self.topics.resolve(context)
        if isinstance(topics, str):  # "" in a template: a fragment that shows no content
            topics = [topics] if topics else []
        key = caching.fragment_key(
            request,
            self.name.resolve(context),
            topics,
            [value.resolve(context) for value in self.vary],
        )
        content = cache.get(key)
        if content is None:
            content = self.nodelist.render(context)
            cache.set(key, content, settings.READER_FRAGMENT_SECONDS)
        return content


@register.tag("entry")
def do_entry(parser, token):
    """{% entry entries item %}…{% endentry %}: one entry of a list, read from or kept in
    `entries` (a caching.Entries made by the view for the list's items)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the list's entries and an item")
    nodelist = parser.parse(("endentry",))
    parser.delete_first_token()
    return EntryNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


class EntryNode(template.Node):
    def __init__(self, nodelist, entries, item):
        self.nodelist, self.entries, self.item = nodelist, entries, item

    def render(self, context) -> str:
        entries, item = self.entries.resolve(context), self.item.resolve(context)
        if not isinstance(entries, caching.Entries):
            return self.nodelist.render(context)
        content = entries.cached(item)
        if content is None:
            content = self.nodelist.render(context)
            entries.keep(item, content)
        return content


class Masthead:
    """The paper a page's masthead names, with its logo: the page's own paper, or on pages of
    no paper (lists, search) the paper of the latest issue, read only when the masthead's
    cached fragment is missing. A paper renamed or given a logo empties every page."""

    def __init__(self, publication=None) -> None:
        self._given = publication

    @cached_property
    def publication(self):
        if self._given is not None:
            return self._given
        issue = Issue.objects.newest_visible()
        return issue.publication if issue is not None else None

    @property
    def topics(self) -> list[str]:
        # Which paper is the latest changes as issues come out.
        return [] if self._given is not None else [caching.ISSUES]

    @property
    def vary(self):
        return self._given.pk if self._given is not None else ""


@register.inclusion_tag("articles/_masthead.html", takes_context=True)
def masthead(context, publication=None) -> dict:
    """{% masthead %} or {% masthead paper %}: the site's masthead, naming the paper. A paper
    that is missing (the home page before any issue is out) names the latest one."""
    return {"request": context.get("request"), "masthead": Masthead(publication or None)}


def credit_groups(bylines) -> list[tuple[str, list]]:
    """Group bylines by role, in order of first appearance: [("记者", [c1, c2]), ...].

    Works on an already prefetched list, so it adds no query.
    """
    groups: dict[str, list] = {}
    for byline in bylines:
        groups.setdefault(byline.get_role_display(), []).append(byline.contributor)
    return list(groups.items())


@register.simple_tag
def credits(bylines) -> str:
    """Credits by role, each name linked to its contributor's page: 记者 张三 李四 摄影 王五.

    In Python rather than an included template: lists show one per item, and an include per
    item cost more than the rest of the item's markup.
    """
    return format_html_join(
        " ",
        '<span class="credit"><span class="role">{}</span> {}</span>',
        (
            (
                role,
                format_html_join(
                    " ",
                    '<a href="{}">{}</a>',
                    ((person.get_absolute_url(), person.name) for person in contributors),
                ),
            )
            for role, contributors in credit_groups(bylines)
        ),
    )


@register.simple_tag
def thumbnail_size(page) -> str:
    """width="…" height="…" of a page's scan thumbnail, from the scan's size, so that the
    navigator does not jump as thumbnails arrive (their own size is not stored)."""
    if not page.scan_width or not page.scan_height:
        return ""
    scale = min(1, images.THUMBNAIL_SIZE / max(page.scan_width, page.scan_height))
    return format_html(
        ' width="{}" height="{}"',
        max(1, round(page.scan_width * scale)),
        max(1, round(page.scan_height * scale)),
    )


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
