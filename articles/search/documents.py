"""What is indexed for an article: its headings, and its body with captions and names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q

from articles.models import Article, Byline, Photo

from .text import index_tokens


@dataclass(frozen=True)
class Document:
    """An article as index tokens. Headings are kept apart so they can rank first."""

    article_id: int
    title: list[str]
    body: list[str]


def build_documents(article_ids: Iterable[int]) -> Iterator[Document]:
    """The documents of these articles, in three queries whatever their number.

    Ids of articles that no longer exist are skipped; the caller removes them from the index.
    """
    ids = list(article_ids)
    captions: dict[int, list[str]] = defaultdict(list)
    for article_id, title, caption in Photo.objects.filter(article__in=ids).values_list(
        "article_id", "title", "caption"
    ):
        captions[article_id] += [title, caption]
    names: dict[int, list[str]] = defaultdict(list)
    for article_id, photo_article_id, name in Byline.objects.filter(
        Q(article__in=ids) | Q(photo__article__in=ids)
    ).values_list("article_id", "photo__article_id", "contributor__name"):
        names[article_id or photo_article_id].append(name)
    articles = Article.objects.filter(pk__in=ids).values_list(
        "pk", "kicker", "headline", "subheadline", "body", "source__name"
    )
    for pk, kicker, headline, subheadline, body, source in articles:
        body_parts = [body, *captions[pk], *names[pk], source or ""]
        yield Document(
            article_id=pk,
            title=index_tokens(" ".join([kicker, headline, subheadline])),
            body=index_tokens("\n".join(body_parts)),
        )
