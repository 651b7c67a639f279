"""Build a large synthetic archive for load tests and benchmarks, in bounded memory."""

from __future__ import annotations

import datetime
import random
import time
from itertools import accumulate

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries, transaction
from django.utils import timezone
from tqdm import tqdm

from articles import archive_words
from articles.management.arguments import number_between
from articles.models import Article, Byline, Contributor, Issue, Page, Photo, Publication, Status
from articles.planner import analyze

PAGE_NAMES = ["要闻", "综合", "经济", "社会", "国际", "体育", "文化", "副刊"]
PAGES_PER_ISSUE = len(PAGE_NAMES)
ARTICLES_PER_PAGE = 5
ARTICLES_PER_ISSUE = PAGES_PER_ISSUE * ARTICLES_PER_PAGE
CONTRIBUTORS = 5000
PEOPLE = 50000
# Issues are created and committed this many at a time: memory stays flat whatever N is.
ISSUES_PER_BATCH = 50
CODE_PREFIX = "archive"


class Writer:
    """Makes the text of the archive from the word list, with a Zipf-like word frequency."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = archive_words.WORDS
        # People quoted in the news: each name turns up in only a few dozen articles of a
        # million, which gives searches for rare words something real to find.
        self.people = archive_words.person_names(rng, PEOPLE)
        # Word i is about 1/(i+1)^0.9 as frequent as the first, roughly as in real text.
        self.cum_weights = list(
            accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(self.words)))
        )

    def phrase(self, low: int, high: int) -> str:
        return "".join(
            self.rng.choices(
                self.words, cum_weights=self.cum_weights, k=self.rng.randint(low, high)
            )
        )

    def paragraph(self) -> str:
        sentences = []
        for _ in range(self.rng.randint(2, 5)):
            clauses = [self.phrase(3, 8) for _ in range(self.rng.randint(1, 3))]
            if self.rng.random() < 0.15:
                clauses.insert(0, self.rng.choice(self.people) + "表示")
            sentences.append("，".join(clauses) + "。")
        return "".join(sentences)

    def body(self) -> str:
        paragraphs = [self.paragraph() for _ in range(self.rng.randint(5, 14))]
        if len(paragraphs) > 5:
            paragraphs.insert(len(paragraphs) // 2, "## " + self.phrase(2, 4))
        return "\n".join(paragraphs)


class Command(BaseCommand):
    help = (
        "Generate a synthetic archive: publications, daily issues, pages, articles, bylines and "
        "photos (without image files), with bulk inserts in bounded memory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=number_between(1, 10**8), required=True, help="How many articles."
        )
        parser.add_argument("--publications", type=number_between(1, 100), default=3)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same archive.")
        parser.add_argument(
            "--drafts",
            type=number_between(0, 1, float),
            default=0.01,
            help="Share of issues left as drafts (readers must not find their articles).",
        )

    def handle(self, *args, articles: int, publications: int, seed: int, drafts: float, **opts):
        if Publication.objects.filter(code__startswith=CODE_PREFIX).exists():
            raise CommandError("This database already holds a generated archive.")
        started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311 - made-up text, not secrets
        writer = Writer(rng)
        with transaction.atomic():
            papers = Publication.objects.bulk_create(
                Publication(
                    name=f"{archive_words.CITIES[i % len(archive_words.CITIES)]}日报",
                    code=f"{CODE_PREFIX}{i + 1}",
                )
                for i in range(publications)
            )
            contributors = self.contributors(archive_words.person_names(rng, CONTRIBUTORS))
        issue_total = -(-articles // ARTICLES_PER_ISSUE)
        days = -(-issue_total // publications)
        first_day = timezone.localdate() - datetime.timedelta(days=days)
        # Issue n belongs to paper n % P on day n // P: every paper has one issue per day.
        plan = [
            (papers[n % publications], first_day + datetime.timedelta(days=n // publications))
            for n in range(issue_total)
        ]
        remaining = articles
        with tqdm(total=articles, unit="article", disable=opts["verbosity"] == 0) as progress:
            for start in range(0, issue_total, ISSUES_PER_BATCH):
                batch = plan[start : start + ISSUES_PER_BATCH]
                made = self.write_issues(rng, writer, batch, contributors, remaining, drafts)
                # With DEBUG on, Django keeps the last 9,000 statements: megabytes each here.
                reset_queries()
                remaining -= made
                progress.update(made)
        # The planner knows nothing of rows it has not sampled: without this, lists and
        # search are planned as if the tables were empty until autovacuum comes by.
        analyze(Publication, Contributor, Issue, Page, Article, Photo, Byline)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {articles} articles in {issue_total} issues "
                f"in {time.monotonic() - started:.0f} s."
            )
        )

    @staticmethod
    def contributors(names: list[str]) -> list[Contributor]:
        """A person of each name, in order: those already in the database (the demo's
        people share some of the archive's names) and the others created."""
        existing = {
            contributor.name: contributor
            for contributor in Contributor.objects.filter(
                name__in=names, kind=Contributor.Kind.PERSON
            )
        }
        created = Contributor.objects.bulk_create(
            Contributor(name=name, kind=Contributor.Kind.PERSON)
            for name in names
            if name not in existing
        )
        by_name = {**existing, **{contributor.name: contributor for contributor in created}}
        return [by_name[name] for name in names]

    @transaction.atomic
    def write_issues(self, rng, writer, batch, contributors, remaining, drafts) -> int:
        """One batch of issues with everything in them; returns how many articles it made."""
        tz = timezone.get_current_timezone()
        issues = []
        for publication, date in batch:
            published = rng.random() >= drafts
            morning = datetime.datetime.combine(date, datetime.time(6), tzinfo=tz)
            issues.append(
                Issue(
                    publication=publication,
                    date=date,
                    number=date.toordinal() % 1000 + 1,
                    status=Status.PUBLISHED if published else Status.DRAFT,
                    published_at=morning if published else None,
                )
            )
        Issue.objects.bulk_create(issues)
        pages = Page.objects.bulk_create(
            Page(issue=issue, number=number, name=name)
            for issue in issues
            for number, name in enumerate(PAGE_NAMES, start=1)
        )
        articles = []
        for page in pages:
            issue = page.issue
            for position in range(1, ARTICLES_PER_PAGE + 1):
                if len(articles) == remaining:
                    break
                articles.append(
                    Article(
                        publication_id=issue.publication_id,
                        page=page,
                        position=position,
                        kicker=writer.phrase(3, 6) if rng.random() < 0.2 else "",
                        headline=writer.phrase(3, 7),
                        subheadline=writer.phrase(4, 8) if rng.random() < 0.15 else "",
                        dateline="本报讯" if rng.random() < 0.7 else "新华社北京电",
                        body=writer.body(),
                        status=issue.status,
                        published_at=issue.published_at,
                        first_published_at=issue.published_at,
                    )
                )
        Article.objects.bulk_create(articles)
        photos, bylines = [], []
        for article in articles:
            for order, contributor in enumerate(rng.sample(contributors, rng.randint(1, 2))):
                bylines.append(
                    Byline(article=article, contributor=contributor, role="reporter", order=order)
                )
            if rng.random() < 0.25:
                photos.append(Photo(article=article, caption=writer.phrase(6, 15) + "。"))
        Photo.objects.bulk_create(photos)
        bylines.extend(
            Byline(photo=photo, contributor=rng.choice(contributors), role="photographer")
            for photo in photos
        )
        Byline.objects.bulk_create(bylines)
        return len(articles)
