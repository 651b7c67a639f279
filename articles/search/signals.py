"""Keep the search index in step with every save and delete of what an article shows.

Visibility (publish, unpublish, issue status) is applied at query time, so the services'
`queryset.update()` calls need nothing here; only text changes do.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Byline, Contributor, Photo

from . import index_articles, index_photos, remove_articles, remove_photos


@receiver(post_save, sender=Article, dispatch_uid="search_article_saved")
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        index_articles([instance.pk])


@receiver(post_delete, sender=Article, dispatch_uid="search_article_deleted")
def article_deleted(sender, instance: Article, **kwargs) -> None:
    remove_articles([instance.pk])


@receiver(post_save, sender=Photo, dispatch_uid="search_photo_saved")
def photo_saved(sender, instance: Photo, raw: bool = False, **kwargs) -> None:
    """A caption is searched as part of its article, or on its own when the photo stands
    alone on a page (a photo moved into an article leaves the photos' index)."""
    if raw:
        return
    if instance.article_id is not None:
        index_articles([instance.article_id])
    index_photos([instance.pk])


@receiver(post_delete, sender=Photo, dispatch_uid="search_photo_deleted")
def photo_deleted(sender, instance: Photo, **kwargs) -> None:
    if instance.article_id is not None:
        index_articles([instance.article_id])
    remove_photos([instance.pk])


@receiver(post_save, sender=Byline, dispatch_uid="search_byline_saved")
@receiver(post_delete, sender=Byline, dispatch_uid="search_byline_deleted")
def byline_changed(sender, instance: Byline, raw: bool = False, **kwargs) -> None:
    """Contributors' names are searched as part of the articles (and photos) they are on."""
    if raw:
        return
    if instance.article_id is not None:
        index_articles([instance.article_id])
    elif instance.photo_id is not None:
        article_id = Photo.objects.filter(pk=instance.photo_id).values("article_id")
        index_articles(Article.objects.filter(pk__in=article_id).values_list("pk", flat=True))
        index_photos([instance.photo_id])


@receiver(post_save, sender=Contributor, dispatch_uid="search_contributor_saved")
def contributor_saved(sender, instance: Contributor, raw: bool = False, created=False, **kwargs):
    """A renamed contributor is found under the new name on everything they are credited on.

    A prolific reporter is credited on thousands of articles: they are indexed again by a
    task (articles/tasks.py), once the rename is committed, not in the editor's request.
    """
    if raw or created:
        return
    from ..tasks import index_credited  # tasks import the search package

    transaction.on_commit(lambda: index_credited.enqueue(instance.pk))


def index_contributor(contributor_id: int) -> None:
    """Index again every article and standalone photo that credits this contributor."""
    credited = (
        Article.objects.filter(
            pk__in=Byline.objects.filter(contributor=contributor_id, article__isnull=False).values(
                "article_id"
            )
        )
        | Article.objects.filter(
            pk__in=Photo.objects.filter(bylines__contributor=contributor_id).values("article_id")
        )
        | Article.objects.filter(source=contributor_id)
    )
    index_articles(credited.values_list("pk", flat=True))
    index_photos(
        Photo.objects.filter(article__isnull=True, bylines__contributor=contributor_id).values_list(
            "pk", flat=True
        )
    )
