"""Turns second readings of entries (one JSON file per entry, named by its slug) into quoted
claims, and writes them as a fixture.

Only claims whose reading found the source saying it are kept: "confirmed" (the quote supports
the published words), "corrected" (the quote supports the reader's wording, kept with the
claim) and "office-only" (only the commissioner's office says it). A source that the entry
does not cite yet is added from the reading's `new_source`. A claim that names no source, no
place, no row the entry records or an unknown field is left out and said so.
"""

import json
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casestudies.labels import row_key
from casestudies.models import ROW_STATEMENTS, Claim, Initiative, Source, Statement

KEPT = {"confirmed", "corrected", "office-only"}


def address(url):
    """An address as compared: no scheme, no "www.", no trailing slash, lower case."""
    parts = urlsplit((url or "").strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}".lower()


def iso_date(text):
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


class Command(BaseCommand):
    help = ("Creates quoted claims from second readings (DIR/<slug>.json) of entries in the "
            "database; with --fixture, writes every claim (and the sources only they cite) to "
            "that file.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The folder of readings, one <slug>.json each.")
        parser.add_argument("--fixture", help="Where to write the claims, e.g. "
                                              "fixtures/claims.json.")

    def handle(self, directory, fixture=None, **options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"No such folder: {folder}")
        self.sources = {address(source.url): source for source in Source.objects.exclude(url="")}
        added = skipped = 0
        with transaction.atomic():
            for path in sorted(folder.glob("*.json")):
                try:
                    reading = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as error:
                    self.stderr.write(f"{path.name}: not read ({error})")
                    continue
                initiative = Initiative.objects.filter(slug=reading.get("slug")).first()
                if initiative is None:
                    self.stderr.write(f"{path.name}: no entry with the slug {reading.get('slug')}")
                    continue
                for claim in reading.get("claims", []):
                    if claim.get("verdict") not in KEPT:
                        continue
                    problem = self.add(initiative, claim)
                    if problem:
                        skipped += 1
                        self.stderr.write(f"{initiative.slug}: {claim.get('field')} "
                                          f"{claim.get('row') or ''}: {problem}")
                    else:
                        added += 1
        self.stdout.write(f"Added {added} claims; left out {skipped}.")
        if fixture:
            self.write(Path(fixture))

    def add(self, initiative, reading):
        """Creates the claim of one reading; gives why not, or None."""
        statement, row = reading.get("field"), str(reading.get("row") or "")
        if statement not in Statement.values:
            return "not a statement a claim can support"
        if statement in ROW_STATEMENTS:
            rows = {Statement.EVALUATION: "evaluations", Statement.COST: "costs",
                    Statement.FUNDER: "funders",
                    Statement.COMMISSIONER_ROLE: "commissioner_roles"}[statement]
            if row not in {row_key(statement, found)
                           for found in getattr(initiative, rows).all()}:
                return "names no row the entry records"
        else:
            row = ""
        source = self.source(reading, initiative)
        if source is None:
            return f"no source at {reading.get('source_url')}"
        wording = reading.get("wording") or reading.get("published") or ""
        claim = Claim(initiative=initiative, statement=statement, row=row,
                      wording=str(wording)[:500], source=source,
                      quote=(reading.get("quote") or "").strip(),
                      place=(reading.get("where") or "").strip()[:200],
                      said_by_office=bool(reading.get("said_by_office"))
                      or reading.get("verdict") == "office-only")
        if Claim.objects.filter(initiative=initiative, statement=statement, row=row,
                                source=source, quote=claim.quote).exists():
            return None
        try:
            claim.full_clean()
        except ValidationError as error:
            return "; ".join(error.messages)
        claim.save()
        return None

    def source(self, reading, initiative):
        """The source at the reading's address; else the reading's new source; else the entry's
        one source on that site (a page read under another address of the same site)."""
        found = self.sources.get(address(reading.get("source_url")))
        new = reading.get("new_source")
        if found is None and not isinstance(new, dict):
            host = address(reading.get("source_url")).split("/")[0]
            same_site = [source for source in initiative.sources.all()
                         if address(source.url).split("/")[0] == host]
            found = same_site[0] if len(same_site) == 1 else None
        if found is not None or not isinstance(new, dict):
            return found
        url = new.get("url") or reading.get("source_url")
        source = Source(title=(new.get("title") or url)[:300],
                        publisher=(new.get("publisher") or urlsplit(url).netloc)[:200],
                        published_on=iso_date(new.get("date")), url=url,
                        slug=Source.objects.unique_slug(new.get("title") or url, "source"))
        try:
            source.full_clean()
        except ValidationError:
            return None
        source.save()
        self.sources[address(url)] = source
        return source

    def write(self, path):
        """Every claim, and before them the sources that only claims cite (so the fixture loads
        after sources.json)."""
        claims = list(Claim.objects.select_related("initiative", "source")
                      .order_by("initiative__slug", "pk"))
        cited = {source.pk for source in Source.objects.filter(initiatives__isnull=False)}
        cited |= {source.pk for source in Source.objects.filter(approaches__isnull=False)}
        only_claims = Source.objects.filter(claims__isnull=False).exclude(pk__in=cited).distinct()
        text = serializers.serialize("json", [*only_claims.order_by("slug"), *claims], indent=2,
                                     use_natural_foreign_keys=True,
                                     use_natural_primary_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {len(claims)} claims to {path}.")
