"""The newspaper domain: publications, dated issues, numbered pages, articles, photos, credits."""

from __future__ import annotations

import datetime

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import images
from .validators import (
    EARLIEST_DATE,
    LATEST_DATE,
    validate_image_upload,
    validate_pdf_upload,
    validate_publication_code,
    validate_region,
    validate_sensible_date,
)


class Versioned(models.Model):
    """Optimistic locking: a form opened at an older version is refused (admin_forms.py).

    Every model staff edit through a form has one; `version_follows` names the rows a change
    to this one also changes (a photo is part of its article), whose versions move with it.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    version_follows: tuple[str, ...] = ()

    class Meta:
        abstract = True


# The database's own limit on the dates an editor may type (validators.EARLIEST_DATE to
# LATEST_DATE): a day wider for times, so that a time typed at the edge in any time zone
# passes both the form and the database.
DATETIME_FLOOR = datetime.datetime(1899, 12, 31, tzinfo=datetime.UTC)
DATETIME_CEILING = datetime.datetime(2201, 1, 2, tzinfo=datetime.UTC)
DATE_FLOOR = EARLIEST_DATE
DATE_CEILING = LATEST_DATE + datetime.timedelta(days=1)


def sensible_dates(
    model: str, *fields: str, floor=DATETIME_FLOOR, ceiling=DATETIME_CEILING
) -> list[models.CheckConstraint]:
    """A named constraint per date or datetime field: empty, or from `floor` up to `ceiling`.

    Out of range, SQLite cannot convert a time and PostgreSQL stores a year BC, after which
    every page that shows the row fails.
    """
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": floor, f"{field}__lt": ceiling}),
            name=f"{model}_{field}_sensible",
        )
        for field in fields
    ]


class PublicationQuerySet(models.QuerySet):
    def with_visible_issues(self) -> PublicationQuerySet:
        """Publications that have at least one issue a reader may see."""
        return self.filter(
            models.Exists(Issue.objects.visible().filter(publication=models.OuterRef("pk")))
        )

    def visible(self) -> PublicationQuerySet:
        """Publications with something a reader may see: an issue, or a web-only article."""
        return self.filter(
            models.Exists(Issue.objects.visible().filter(publication=models.OuterRef("pk")))
            | models.Exists(Article.objects.visible().filter(publication=models.OuterRef("pk")))
        )


class Publication(Versioned):
    """A masthead: one newspaper, with a short code that appears in its URLs."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[validate_publication_code],
        help_text=_("Short Latin code used in web addresses, e.g. “daily”."),
    )
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=images.upload_to("logos"),
        blank=True,
        validators=[validate_image_upload],
        help_text=_("Shown in the masthead of the reader site instead of the name in type."),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        images.clean_upload(self.logo)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:publication", kwargs={"publication": self.code})


class Status(models.TextChoices):
    """An article's way to the reader: written, three-level review (三审), cleared, published."""

    DRAFT = "draft", _("Draft")
    FIRST_REVIEW = "first_review", _("Awaiting first review")
    SECOND_REVIEW = "second_review", _("Awaiting second review")
    FINAL_REVIEW = "final_review", _("Awaiting final review")
    READY = "ready", _("Cleared for publication")
    PUBLISHED = "published", _("Published")


def visible_issue_q(prefix: str = "") -> Q:
    """The one rule for issues a reader may see: published, and its publish time has come.

    `prefix` is the path to the issue from the model being filtered, e.g. "page__issue__".
    """
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


def visible_article_q(prefix: str = "") -> Q:
    """The one rule for articles a reader may see, built on the rule for issues.

    Published, its publish time has come, and either web-only or printed in a visible issue.
    """
    return Q(
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()}
    ) & (Q(**{f"{prefix}page__isnull": True}) | visible_issue_q(f"{prefix}page__issue__"))


# Published articles that went out to readers: web-only, or with their issue. Their addresses
# answer 410 Gone once withdrawn (Article.first_published_at); Article.save asks the same.
ARTICLE_OUT = Q(page__isnull=True) | Q(page__issue__status=Status.PUBLISHED)


def visible_photo_q(prefix: str = "") -> Q:
    """Photos a reader may see: with an image, in a visible article or on a visible issue's page."""
    return ~Q(**{f"{prefix}image": ""}) & (
        visible_article_q(f"{prefix}article__") | visible_issue_q(f"{prefix}page__issue__")
    )


class IssueQuerySet(models.QuerySet):
    def visible(self) -> IssueQuerySet:
        """Issues a reader may see."""
        return self.filter(visible_issue_q())

    def newest_visible(self) -> Issue | None:
        """The latest issue a reader may see, of any publication: the home page's (one query)."""
        return self.visible().select_related("publication").order_by("-date", "pk").first()


class Issue(Versioned):
    """One dated issue (期) of a publication."""

    publication = models.ForeignKey(
        Publication, models.PROTECT, related_name="issues", verbose_name=_("publication")
    )
    date = models.DateField(_("date"), validators=[validate_sensible_date])
    number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    running_number = models.PositiveIntegerField(
        _("running number"),
        null=True,
        blank=True,
        help_text=_("The count of issues since the first."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[(Status.DRAFT, Status.DRAFT.label), (Status.PUBLISHED, Status.PUBLISHED.label)],
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(
        _("publish time"), null=True, blank=True, validators=[validate_sensible_date]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "publication"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        permissions = [("publish_issue", _("Can publish and unpublish issues"))]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "date"], name="issue_one_per_publication_and_date"
            ),
            # A published issue always has a publish time, so visibility is one comparison.
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="issue_published_has_time",
            ),
            *sensible_dates("issue", "published_at"),
            *sensible_dates("issue", "date", floor=DATE_FLOOR, ceiling=DATE_CEILING),
        ]
        indexes = [
            # The archive and "latest issue" queries walk issues of one publication by date.
            models.Index(fields=["status", "published_at"], name="issue_visibility_idx"),
            # The admin's page list, newest issue first: walked from the newest date, its first
            # page of 200,000 pages took 0.4 ms instead of sorting them all (148 ms).
            models.Index(fields=["date"], name="issue_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse(
            "articles:issue",
            kwargs={"publication": self.publication.code, "date": self.date.isoformat()},
        )


class Page(Versioned):
    """A numbered page (版) of an issue, with its scan and PDF when the editors have them."""

    issue = models.ForeignKey(Issue, models.CASCADE, related_name="pages", verbose_name=_("issue"))
    # No paper prints a thousand pages in one issue; the layout system's file names carry at
    # most three digits (pdfpages.page_of), and every way of making a page keeps to this.
    MAX_NUMBER = 999

    number = models.PositiveSmallIntegerField(
        _("page number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_NUMBER)]
    )
    name = models.CharField(_("page name"), max_length=50, blank=True, help_text=_("e.g. “News”"))
    scan = models.ImageField(
        _("page scan"),
        upload_to=images.upload_to("scans"),
        blank=True,
        width_field="scan_width",
        height_field="scan_height",
        validators=[validate_image_upload],
    )
    scan_width = models.PositiveIntegerField(_("scan width"), null=True, blank=True, editable=False)
    scan_height = models.PositiveIntegerField(
        _("scan height"), null=True, blank=True, editable=False
    )
    scan_web = models.ImageField(
        _("web rendition"), upload_to=images.upload_to("renditions"), blank=True, editable=False
    )
    scan_thumbnail = models.ImageField(
        _("thumbnail"), upload_to=images.upload_to("renditions"), blank=True, editable=False
    )
    pdf = models.FileField(
        _("page PDF"),
        upload_to=images.upload_to("pdfs"),
        blank=True,
    )
    # The scan whose deep-zoom tiles are all stored (articles/tiles.py); the reader's viewer
    # uses them while it is still the page's scan.
    tiled_scan = models.CharField(_("scan with tiles"), max_length=100, blank=True, editable=False)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_pages",
        verbose_name=_("editors"),
        help_text=_("Staff who may edit every article on this page."),
    )

    class Meta:
        ordering = ["issue", "number"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_number_in_issue"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
        ]
        # The admin's filters by page name and number find their values along these
        # (admin.DistinctValuesFilter).
        indexes = [
            models.Index(fields=["name"], name="page_name_idx"),
            models.Index(fields=["number"], name="page_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} {self.label}"

    def save(self, *args, **kwargs) -> None:
        if self.pdf and not self.pdf._committed and not (self.scan and not self.scan._committed):
            # A new PDF and no new scan: the PDF's rendering becomes the scan readers see.
            self.scan = images.render_pdf_page(
                self.pdf, max_pixels=settings.NEWSROOM_MAX_IMAGE_PIXELS
            )
        images.refresh_renditions(self, "scan", web="scan_web", thumbnail="scan_thumbnail")
        super().save(*args, **kwargs)
        if self.scan and self.tiled_scan != self.scan.name:
            # A scan without its deep-zoom tiles (a new upload, a restored version): made in
            # the background once the scan is surely stored.
            from .tasks import make_page_tiles

            pk = self.pk
            transaction.on_commit(lambda: make_page_tiles.enqueue(pk))

    def get_absolute_url(self) -> str:
        return reverse(
            "articles:page",
            kwargs={
                "publication": self.issue.publication.code,
                "date": self.issue.date.isoformat(),
                "number": self.number,
            },
        )

    def clean(self) -> None:
        super().clean()
        if self.pdf:
            try:
                validate_pdf_upload(self.pdf)
            except ValidationError as error:
                raise ValidationError({"pdf": error.messages}) from None

    @property
    def label(self) -> str:
        """The page as printed in a page list, e.g. "02版:要闻"."""
        if self.name:
            return _("Page %(number)02d: %(name)s") % {"number": self.number, "name": self.name}
        return _("Page %(number)02d") % {"number": self.number}


def done_by(verbose_name) -> models.ForeignKey:
    """The staff member who made a record of work (an import, an upload), kept if they go."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class PageImport(models.Model):
    """One import of a page's text (“Import page text”, import_page).

    The articles, photos and page credits it created point to it, so that importing the page
    again with “replace” takes away only those, never what someone wrote or added by hand.
    """

    page = models.ForeignKey(Page, models.CASCADE, related_name="imports", verbose_name=_("page"))
    created_by = done_by(_("imported by"))
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["page", "created_at", "pk"]
        verbose_name = _("page import")
        verbose_name_plural = _("page imports")

    def __str__(self) -> str:
        return f"{self.page} {self.created_at:%Y-%m-%d %H:%M}"


class IssueUpload(models.Model):
    """One upload of an issue's page PDFs (“Upload this issue's pages”, import_issue).

    Each file becomes a PageUpload, read by a task; the upload's progress is its pages'.
    """

    publication = models.ForeignKey(
        Publication, models.CASCADE, related_name="+", verbose_name=_("publication")
    )
    date = models.DateField(_("date"), validators=[validate_sensible_date])
    created_by = done_by(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issue upload")
        verbose_name_plural = _("issue uploads")
        constraints = sensible_dates("issueupload", "date", floor=DATE_FLOOR, ceiling=DATE_CEILING)

    def __str__(self) -> str:
        return _("%(publication)s, %(date)s") % {
            "publication": self.publication.name,
            "date": formats.date_format(self.date, "DATE_FORMAT"),
        }


class PageUpload(models.Model):
    """One page PDF of an IssueUpload, and what reading it came to."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        READING = "reading", _("reading")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    upload = models.ForeignKey(
        IssueUpload, models.CASCADE, related_name="pages", verbose_name=_("issue upload")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    number = models.PositiveSmallIntegerField(_("page number"), null=True, blank=True)
    name = models.CharField(_("page name"), max_length=50, blank=True)
    # Kept until the page is read; a refused file is never stored.
    file = models.FileField(_("file"), upload_to=images.upload_to("uploads"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    warnings = models.TextField(_("warnings"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    page = models.ForeignKey(
        Page, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("page")
    )
    page_import = models.ForeignKey(
        PageImport,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("page import"),
    )
    articles = models.PositiveSmallIntegerField(_("articles"), default=0)
    photos = models.PositiveSmallIntegerField(_("photos"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["upload", "number", "pk"]
        verbose_name = _("page upload")
        verbose_name_plural = _("page uploads")

    def __str__(self) -> str:
        return self.file_name


def imported_by(verbose_name) -> models.ForeignKey:
    """The import that created a row, if one did (see PageImport)."""
    return models.ForeignKey(
        PageImport,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=verbose_name,
    )


class ContributorQuerySet(models.QuerySet):
    def visible(self) -> ContributorQuerySet:
        """Contributors credited on something a reader may see; nobody else has a public page."""
        visible_credit = (
            visible_article_q("article__")
            | visible_photo_q("photo__")
            | visible_issue_q("page__issue__")
        )
        return self.filter(
            models.Exists(Byline.objects.filter(visible_credit, contributor=models.OuterRef("pk")))
            | models.Exists(
                Article.objects.filter(visible_article_q(), source=models.OuterRef("pk"))
            )
        )


class Contributor(Versioned):
    """A person or an organisation credited for work in the paper."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        verbose_name=_("staff user"),
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            # The page importer matches credits by name and kind, so the pair must be unambiguous.
            models.UniqueConstraint(fields=["name", "kind"], name="contributor_unique_name_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:contributor", kwargs={"pk": self.pk})


class ArticleQuerySet(models.QuerySet):
    def visible(self) -> ArticleQuerySet:
        """What a reader may see; every public view, feed, sitemap, search and count uses this."""
        return self.filter(visible_article_q())

    def withdrawn(self) -> ArticleQuerySet:
        """Articles readers have seen that are no longer visible: their addresses answer 410.

        Seen means published, its time come, and (if printed) in an issue that was out too; an
        article of an issue never released stays unknown (404).
        """
        now = timezone.now()
        seen = Q(first_published_at__lte=now) & (
            Q(page__isnull=True) | Q(page__issue__published_at__lte=now)
        )
        return self.filter(seen).exclude(visible_article_q())

    def for_display(self) -> ArticleQuerySet:
        """Everything an article page or list shows, fetched in a fixed number of queries."""
        return self.select_related(*ARTICLE_DISPLAY_RELATED).prefetch_related(
            *article_display_prefetches()
        )


# What an article page shows beside the article's row: with it (joined) and after it (a query
# each). The reader's article page fetches the second only when its cached copy is missing.
ARTICLE_DISPLAY_RELATED = ("publication", "page__issue__publication", "source")


def article_display_prefetches() -> list[models.Prefetch]:
    return [
        # In date order alone: the model's ordering would join the articles to sort by them.
        models.Prefetch("corrections", queryset=Correction.objects.order_by("date", "pk")),
        models.Prefetch("bylines", queryset=Byline.objects.select_related("contributor")),
        models.Prefetch(
            "photos",
            queryset=Photo.objects.exclude(image="").prefetch_related(
                models.Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
            ),
        ),
    ]


class Article(Versioned):
    """A story: printed on a page of an issue, or published on the web only."""

    publication = models.ForeignKey(
        Publication,
        models.PROTECT,
        related_name="articles",
        verbose_name=_("publication"),
        help_text=_("Taken from the page when the article is printed."),
    )
    # PROTECT, not SET_NULL: an article whose page went would become web-only, and a published
    # one would go public at its own address. An editor deleting a page expects its articles
    # to stay where they are, so the page cannot go while it holds any: they are moved to
    # another page (or deleted) first, and the admin's confirmation lists them.
    page = models.ForeignKey(
        Page,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("page"),
        help_text=_("Leave empty for a web-only article."),
    )
    position = models.PositiveSmallIntegerField(_("position on the page"), default=1)
    kicker = models.CharField(
        _("kicker"),
        max_length=200,
        blank=True,
        help_text=_("The line above the headline that leads into it."),
    )
    headline = models.CharField(_("headline"), max_length=200)
    subheadline = models.CharField(
        _("subheadline"),
        max_length=200,
        blank=True,
        help_text=_("The line below the headline that adds to it."),
    )
    dateline = models.CharField(
        _("dateline"),
        max_length=50,
        blank=True,
        help_text=_("The opening credit, e.g. “Staff report”."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("One paragraph per line. Start a line with “## ” to make it a crosshead."),
    )
    source = models.ForeignKey(
        Contributor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supplied_articles",
        limit_choices_to={"kind": Contributor.Kind.ORGANISATION},
        verbose_name=_("source organisation"),
        help_text=_("The organisation that supplied the article."),
    )
    syndicated_from = models.CharField(
        _("syndicated from"),
        max_length=100,
        blank=True,
        help_text=_("The publication the article is taken from."),
    )
    region = models.JSONField(
        _("region on the page scan"),
        null=True,
        blank=True,
        validators=[validate_region],
        help_text=_("The article's outline on the scan, as points in the scan's own pixels."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("A time in the future keeps the article hidden until then."),
        validators=[validate_sensible_date],
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    # Unpublished on its own (the "unpublish" move or action): publishing its issue again
    # leaves it withdrawn; only publishing the article itself brings it back.
    withdrawn = models.BooleanField(
        _("withdrawn"),
        default=False,
        editable=False,
        help_text=_("Unpublished on its own: publishing its issue again does not bring it back."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="created_articles",
        verbose_name=_("created by"),
    )
    page_import = imported_by(_("page import"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("submit_article", _("Can send articles to review")),
            ("review_first", _("Can pass or return articles in first review")),
            ("review_second", _("Can pass or return articles in second review")),
            ("review_final", _("Can pass or return articles in final review")),
            ("publish_article", _("Can publish and unpublish articles")),
            ("change_any_article", _("Can edit any article in any state")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            *sensible_dates("article", "published_at", "first_published_at"),
        ]
        indexes = [
            # Reader lists: newest visible articles first, optionally of one publication.
            # Reader lists, newest first. Status and page come last so that a page's ids are
            # found in the index alone (pagination.py), without reading the skipped articles.
            models.Index(
                fields=["status", "-published_at", "-id", "page"],
                name="article_visible_newest_idx",
            ),
            # A publication's articles newest first (reader list and admin changelist filtered by
            # publication), walked in order instead of sorting a third of the archive.
            models.Index(
                fields=["publication", "-published_at", "-id", "status", "page"],
                name="article_publication_newest_idx",
            ),
            # The admin's changelist, everything newest first (readers go by status first).
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            # Search counts look their matches up by id: visibility and the facets (publication,
            # year) come from this narrow index alone, not from the articles' wide rows.
            models.Index(
                fields=["id", "status", "published_at", "publication", "page"],
                name="article_by_id_facets_idx",
            ),
            models.Index(fields=["page", "position"], name="article_page_order_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        if self.page_id is not None:
            self.publication_id = self.page.issue.publication_id
        if (
            self.status == Status.PUBLISHED
            and self.first_published_at is None
            and (self.page_id is None or self.page.issue.status == Status.PUBLISHED)
        ):
            # Out to readers (at its publish time; ARTICLE_OUT in Python): from now on its
            # address stays known.
            self.first_published_at = self.published_at
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # The id, not the headline, so corrections to a headline never break a link.
        return reverse("articles:article", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if not self.region:
            return
        try:
            validate_region(self.region)
        except ValidationError:
            return  # The field's own validation reports the shape; nothing to add here.
        page = self.page if self.page_id is not None else None
        if page is None or not page.scan_width:
            raise ValidationError(
                {"region": _("A region needs a page with a scan; upload the scan first.")}
            )
        if any(x > page.scan_width or y > page.scan_height for x, y in self.region):
            raise ValidationError(
                {
                    "region": _(
                        "The region goes outside the page scan (%(width)d×%(height)d pixels)."
                    )
                    % {"width": page.scan_width, "height": page.scan_height}
                }
            )

    def body_blocks(self) -> list[tuple[str, str]]:
        """The body as ("crosshead" | "paragraph", text) pairs in reading order."""
        return parse_body(self.body)

    @property
    def character_count(self) -> int:
        """字数: see body_counts."""
        return body_counts(self.body)[0]


CROSSHEAD_MARK = "## "


def parse_body(body: str) -> list[tuple[str, str]]:
    """Split stored body text into crossheads and paragraphs."""
    blocks = []
    for line in body.splitlines():
        text = line.strip()
        if not text:
            continue
        if text.startswith(CROSSHEAD_MARK.strip()):
            heading = text.lstrip("#").strip()
            if heading:
                blocks.append(("crosshead", heading))
        else:
            blocks.append(("paragraph", text))
    return blocks


def body_counts(body: str) -> tuple[int, int]:
    """字数 and paragraphs of stored body text: the characters of its paragraphs and
    crossheads, without spaces or the crosshead marks; the article form's counter
    (static/articles/article-form.js) counts alike as the editor types."""
    blocks = parse_body(body)
    characters = sum(len("".join(text.split())) for _, text in blocks)
    return characters, sum(kind == "paragraph" for kind, _ in blocks)


def format_body(blocks: list[tuple[str, str]]) -> str:
    """The inverse of parse_body: how an imported article's body is stored."""
    return "\n".join(
        CROSSHEAD_MARK + text if kind == "crosshead" else text for kind, text in blocks
    )


class PhotoQuerySet(models.QuerySet):
    def visible(self) -> PhotoQuerySet:
        """Photos with an image, in a visible article or standing on a page of a visible issue."""
        return self.filter(visible_photo_q())


class Photo(Versioned):
    """A picture with its caption: inside an article, or standing alone on a page."""

    image = models.ImageField(
        _("image"),
        upload_to=images.upload_to("photos"),
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text=_("JPEG, PNG or WebP. Location data is removed on upload."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    web = models.ImageField(
        _("web rendition"), upload_to=images.upload_to("renditions"), blank=True, editable=False
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=images.upload_to("renditions"), blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    article = models.ForeignKey(
        Article,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("article"),
    )
    page = models.ForeignKey(
        Page,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("page"),
        help_text=_("Only for a photo that stands alone on the page."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    page_import = imported_by(_("page import"))

    objects = PhotoQuerySet.as_manager()

    # A photo is part of its article (or its page): a form of that opened before is stale.
    version_follows = ("article", "page")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=(Q(article__isnull=False) & Q(page__isnull=True))
                | (Q(article__isnull=True) & Q(page__isnull=False)),
                name="photo_in_article_or_on_page",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.caption[:40] or _("Photo %(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs) -> None:
        images.refresh_renditions(self, "image", web="web", thumbnail="thumbnail")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.article_id is not None:
            return self.article.get_absolute_url() + f"#photo-{self.pk}"
        return self.page.get_absolute_url() + f"#photo-{self.pk}"


class Byline(Versioned):
    """A credit: who did what on an article, a photo or a page."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        CORRESPONDENT = "correspondent", _("Correspondent")
        PHOTOGRAPHER = "photographer", _("Photographer")
        AUTHOR = "author", _("Author")
        EDITOR = "editor", _("Editor")
        PAGE_EDITOR = "page_editor", _("Page editor")
        LAYOUT_EDITOR = "layout_editor", _("Layout editor")

    contributor = models.ForeignKey(
        Contributor, models.PROTECT, related_name="bylines", verbose_name=_("contributor")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    article = models.ForeignKey(
        Article,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="bylines",
        verbose_name=_("article"),
    )
    photo = models.ForeignKey(
        Photo,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="bylines",
        verbose_name=_("photo"),
    )
    page = models.ForeignKey(
        Page, models.CASCADE, null=True, blank=True, related_name="credits", verbose_name=_("page")
    )
    page_import = imported_by(_("page import"))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            # Exactly one of article, photo or page: a credit is on one thing.
            models.CheckConstraint(
                condition=(
                    Q(article__isnull=False, photo__isnull=True, page__isnull=True)
                    | Q(article__isnull=True, photo__isnull=False, page__isnull=True)
                    | Q(article__isnull=True, photo__isnull=True, page__isnull=False)
                ),
                name="byline_on_exactly_one_item",
            ),
            models.UniqueConstraint(
                fields=["article", "contributor", "role"],
                condition=Q(article__isnull=False),
                name="byline_unique_on_article",
            ),
            models.UniqueConstraint(
                fields=["photo", "contributor", "role"],
                condition=Q(photo__isnull=False),
                name="byline_unique_on_photo",
            ),
            models.UniqueConstraint(
                fields=["page", "contributor", "role"],
                condition=Q(page__isnull=False),
                name="byline_unique_on_page",
            ),
        ]
        indexes = [
            # Contributor pages list a person's credits by role.
            models.Index(fields=["contributor", "role"], name="byline_contributor_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.contributor}"

    def get_role_display(self) -> str:
        """The role's name. Django's own rebuilds a dict of every choice on each call, which
        lists of credits (twenty articles, a contributor's hundred credits) felt."""
        return str(ROLE_NAMES.get(self.role, self.role))


# Each role's name (lazy, in the language of the moment), looked up by Byline.get_role_display.
ROLE_NAMES = dict(Byline.Role.choices)


class WorkflowStep(models.Model):
    """One move of an article through the workflow: who, when, from where to where, and why."""

    article = models.ForeignKey(
        Article, models.CASCADE, related_name="workflow_steps", verbose_name=_("article")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="workflow_steps",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["article", "at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")

    def __str__(self) -> str:
        return f"{self.article}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class Correction(Versioned):
    """A dated correction note (更正) shown to readers under a published article."""

    article = models.ForeignKey(
        Article, models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    date = models.DateField(
        _("date"), default=timezone.localdate, validators=[validate_sensible_date]
    )
    text = models.TextField(_("correction"))

    class Meta:
        ordering = ["article", "date", "pk"]
        constraints = sensible_dates("correction", "date", floor=DATE_FLOOR, ceiling=DATE_CEILING)
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.text[:40]}"


# The editorial history: every save through the admin or a service keeps a version of these,
# with an article's credits and photos, so an earlier state can be restored whole. Corrections
# are versioned on their own: restoring an article never takes back a correction printed.
reversion.register(Issue)
reversion.register(Page, follow=["credits"])
reversion.register(Article, follow=["bylines", "photos"])
reversion.register(Photo, follow=["bylines"])
reversion.register(Byline)
reversion.register(Correction)
