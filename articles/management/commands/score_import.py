"""Score the page importer on a folder of test cases: NAME.txt beside NAME.expected.json."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.management.arguments import number_between
from articles.pageparser import PageParseError, decode_page, parse_page
from articles.pageparser.scoring import Tally, find_cases, read_expected

EMPTY = {"credits": [], "articles": [], "photos": []}


class Command(BaseCommand):
    help = (
        "Read every NAME.txt in FOLDER (and its subfolders) that has a NAME.expected.json "
        "beside it (FORMAT.md; the admin's preview downloads such cases), and print how close "
        "the importer comes, figure by figure as the shared score.py does, then the score."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="FOLDER")
        parser.add_argument(
            "--min",
            type=number_between(0, 1, float),
            metavar="X",
            help="fail when the score is below X (0 to 1)",
        )
        parser.add_argument(
            "--pages", action="store_true", help="print each page's score too, worst first"
        )

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(_("%(path)s: no such folder.") % {"path": folder})
        cases = find_cases(folder)
        if not cases:
            raise CommandError(
                _("%(path)s: no test cases (NAME.txt with NAME.expected.json beside it).")
                % {"path": folder}
            )
        total = Tally()
        pages = []
        for case in cases:
            try:
                expected = read_expected(case)
            except (OSError, ValueError) as error:
                raise CommandError(f"{case.expected}: {error}") from error
            try:
                actual = parse_page(decode_page(case.text.read_bytes())).as_dict()
            except (OSError, PageParseError) as error:
                self.stderr.write(f"{case.text}: {error}")
                actual = EMPTY
            total.add_page(expected, actual)
            one = Tally()
            one.add_page(expected, actual)
            pages.append((one.score(), case.name))
        if options["pages"]:
            for value, name in sorted(pages):
                self.stdout.write(f"{value:.3f}  {name}")
        for name, value in total.figures().items():
            self.stdout.write(f"{name}: {value:.3f}")
        score = total.score()
        self.stdout.write(f"score: {score:.3f}")
        if options["min"] is not None and score < options["min"]:
            raise CommandError(
                _("The score %(score).3f is below %(min).3f.")
                % {"score": score, "min": options["min"]}
            )
