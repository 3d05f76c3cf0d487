"""Fills the database with synthetic initiatives for measuring speed. Never for production."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casestudies.models import (
    Approach,
    Area,
    CostBand,
    EvidenceFinding,
    EvidenceStage,
    Initiative,
    Partner,
    PartnerType,
    Source,
    State,
    Status,
    VerifiedHow,
)
from casestudies.profile import rebuild
from themes.models import Theme

DEMO_PREFIX = "demo-"
BATCH = 2000
WORDS = [
    "police",
    "mental",
    "health",
    "crisis",
    "triage",
    "nurse",
    "officer",
    "custody",
    "section",
    "136",
    "place",
    "of",
    "safety",
    "partnership",
    "commissioner",
    "NHS",
    "trust",
    "clinical",
    "commissioning",
    "group",
    "local",
    "authority",
    "board",
    "pathway",
    "support",
    "repeat",
    "demand",
    "early",
    "intervention",
    "control",
    "room",
    "liaison",
    "diversion",
    "court",
    "housing",
    "substance",
    "misuse",
    "voluntary",
    "sector",
    "young",
    "adults",
    "women",
    "offenders",
    "evaluation",
    "funding",
    "pilot",
    "service",
    "referral",
    "assessment",
    "community",
    "team",
    "training",
    "data",
    "sharing",
]
KINDS = [
    "Street triage",
    "Control-room triage",
    "Crisis café",
    "Liaison and diversion",
    "Partnership board",
    "Custody nurses",
    "Navigation pathway",
    "Demand research",
    "Concordat action plan",
    "Peer support service",
    "Repeat-contact scheme",
]


def sentence(rng, n):
    words = rng.choices(WORDS, k=n)
    return " ".join(words).capitalize() + "."


class Command(BaseCommand):
    help = (
        "Adds N synthetic initiatives, clearly marked as demo content (addresses starting "
        f"“{DEMO_PREFIX}”), for benchmarks. Never run it on a live site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier demo content first."
        )

    def handle(self, *args, initiatives, seed, replace, **options):
        if initiatives < 1:
            raise CommandError("--initiatives must be at least 1")
        areas, themes = list(Area.objects.all()), list(Theme.objects.all())
        if not areas or not themes:
            raise CommandError("Load the seed data first (manage.py seed).")
        rng = random.Random(seed)  # noqa: S311 - demo text, not security
        started = time.monotonic()
        with transaction.atomic():
            if replace:
                self.delete_demo()
            partners = self.demo_partners(areas)
            sources = self.demo_sources()
            first = Initiative.objects.filter(slug__startswith=DEMO_PREFIX).count()
            done = 0
            while done < initiatives:
                size = min(BATCH, initiatives - done)
                self.add_batch(rng, first + done, size, areas, themes, partners, sources)
                done += size
            rebuild()  # bulk_create sends no signal: work out what each entry stores
        self.stdout.write(
            f"Added {initiatives} demo initiatives in {time.monotonic() - started:.1f}s."
        )

    def delete_demo(self):
        demo = Initiative.objects.filter(slug__startswith=DEMO_PREFIX)
        for through in (
            Initiative.themes.through,
            Initiative.partners.through,
            Initiative.sources.through,
        ):
            through.objects.filter(initiative__in=demo).delete()
        demo.delete()

    def demo_partners(self, areas):
        partners = []
        for area in areas:
            for kind, label in [
                (PartnerType.POLICE, "Police (demo)"),
                (PartnerType.NHS, "NHS Trust (demo)"),
                (PartnerType.LOCAL_AUTHORITY, "Council (demo)"),
            ]:
                partner, _ = Partner.objects.get_or_create(
                    slug=f"{DEMO_PREFIX}{area.slug}-{kind}",
                    defaults={"name": f"{area.name} {label}", "partner_type": kind},
                )
                partners.append(partner)
        return partners

    def demo_sources(self):
        return [
            Source.objects.get_or_create(
                slug=f"{DEMO_PREFIX}source-{n}",
                defaults={
                    "title": f"Demo source {n}",
                    "publisher": "Demo content",
                    "url": f"https://example.org/demo/{n}",
                },
            )[0]
            for n in range(50)
        ]

    def add_batch(self, rng, start, size, areas, themes, partners, sources):
        now = timezone.now()
        approaches = list(Approach.objects.all())
        rows = []
        for n in range(start, start + size):
            area = rng.choice(areas)
            kind = rng.choice(KINDS)
            rows.append(
                Initiative(
                    title=f"{kind} {n} (demo)",
                    slug=f"{DEMO_PREFIX}{n}",
                    area=area,
                    summary=f"Demo content. {sentence(rng, 25)}",
                    description=" ".join(sentence(rng, rng.randint(12, 30)) for _ in range(8)),
                    outcomes=sentence(rng, 30),
                    status=rng.choice(Status.values),
                    year_started=rng.randint(2010, 2026),
                    evidence_stage=rng.choice(EvidenceStage.values),
                    evidence_finding=rng.choice(EvidenceFinding.values),
                    lead_organisation=f"{area.name} commissioner's office (demo)",
                    state=State.PUBLISHED if rng.random() < 0.9 else State.DRAFT,
                    last_verified=(now - timezone.timedelta(days=rng.randint(0, 800))).date(),
                    verified_how=VerifiedHow.SOURCES,
                    status_reported_in=rng.randint(2014, 2026),
                    cost_band=rng.choice(CostBand.values),
                    approach=rng.choice(approaches) if approaches else None,
                    created=now,
                    updated=now,
                )
            )
        created = Initiative.objects.bulk_create(rows)
        theme_rows, partner_rows, source_rows = [], [], []
        for initiative in created:
            for theme in rng.sample(themes, rng.randint(1, min(2, len(themes)))):
                theme_rows.append(Initiative.themes.through(initiative=initiative, theme=theme))
            for partner in rng.sample(partners, 2):
                partner_rows.append(
                    Initiative.partners.through(initiative=initiative, partner=partner)
                )
            source_rows.append(
                Initiative.sources.through(initiative=initiative, source=rng.choice(sources))
            )
        Initiative.themes.through.objects.bulk_create(theme_rows)
        Initiative.partners.through.objects.bulk_create(partner_rows)
        Initiative.sources.through.objects.bulk_create(source_rows)
