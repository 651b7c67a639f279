"""What is indexed: an article's headline, its other headings, and its body with captions
and names; a standalone photo's title, caption and credits; and the words that go into the
vocabulary that corrections are drawn from."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import rjieba
from django.db.models import Q

from articles.models import Article, Byline, Photo

from .text import _CJK, document_tokens, normalize

# Vocabulary: words of two to twelve Chinese characters...
_VOCABULARY_WORD_RE = re.compile(f"[{_CJK}]{{2,12}}")
# ...from the headings, and the body's places, people and organisations (rjieba's tags).
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nt", "nz"})


@dataclass(frozen=True)
class Document:
    """An article as index tokens, by field (ranked headline first, then the other headings,
    then the body), and the words it adds to the vocabulary."""

    article_id: int
    headline: list[str]
    heads: list[str]
    body: list[str]
    words: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PhotoDocument:
    """A photo standing alone on a page (no article), found by its title, caption and credits."""

    photo_id: int
    tokens: list[str]


def vocabulary_words(headings: str, body: str, names: Iterable[str]) -> frozenset[str]:
    """Words a correction may suggest: every word of the headings, the places, people and
    organisations of the body (both already folded by `normalize`), and the names credited,
    folded as the index folds them."""
    words = set(rjieba.cut(headings))
    words.update(word for word, tag in rjieba.tag(body) if tag in _NAME_TAGS)
    words.update(normalize(name) for name in names)
    return frozenset(word for word in words if _VOCABULARY_WORD_RE.fullmatch(word))


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
        credited = [*names[pk], *([source] if source else [])]
        # Folded once here: folding the body is a good part of the indexer's time, and
        # folding folded text again is only a check.
        headline, heads, body = map(normalize, [headline, f"{kicker}\n{subheadline}", body])
        yield Document(
            article_id=pk,
            headline=document_tokens(headline),
            heads=document_tokens(heads),
            body=document_tokens(body + "\n" + normalize("\n".join([*captions[pk], *credited]))),
            words=vocabulary_words(f"{headline}\n{heads}", body, credited),
        )


def build_photo_documents(photo_ids: Iterable[int]) -> Iterator[PhotoDocument]:
    """The documents of those of these photos that stand alone on a page; two queries."""
    photos = list(
        Photo.objects.filter(pk__in=list(photo_ids), article__isnull=True).values_list(
            "pk", "title", "caption"
        )
    )
    names: dict[int, list[str]] = defaultdict(list)
    for photo_id, name in Byline.objects.filter(
        photo__in=[pk for pk, _title, _caption in photos]
    ).values_list("photo_id", "contributor__name"):
        names[photo_id].append(name)
    for pk, title, caption in photos:
        text = normalize("\n".join([title, caption, *names[pk]]))
        yield PhotoDocument(photo_id=pk, tokens=document_tokens(text))
