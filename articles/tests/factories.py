"""Test data built in code: one factory per model, published unless a test says otherwise."""

from __future__ import annotations

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Publication, Status


def image_upload(
    name: str = "photo.jpg", size: tuple[int, int] = (64, 48), fmt: str = "JPEG", **save_options
) -> SimpleUploadedFile:
    """A small, valid image file as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, fmt, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"测试日报{n}")
    code = factory.Sequence(lambda n: f"paper{n}")


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    publication = factory.SubFactory(PublicationFactory)
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    number = factory.Sequence(lambda n: n + 1)
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    issue = factory.SubFactory(IssueFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "要闻"


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"记者{n}")
    kind = Contributor.Kind.PERSON


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    page = factory.SubFactory(PageFactory)
    publication = factory.LazyAttribute(
        lambda article: article.page.issue.publication if article.page else PublicationFactory()
    )
    headline = factory.Sequence(lambda n: f"新闻标题{n}")
    body = "第一段。\n## 小标题\n第二段。"
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    article = factory.SubFactory(ArticleFactory)
    page = None
    image = factory.LazyFunction(image_upload)
    caption = factory.Sequence(lambda n: f"图片说明{n}")


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    contributor = factory.SubFactory(ContributorFactory)
    role = Byline.Role.REPORTER
