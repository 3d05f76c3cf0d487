import datetime
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

# Rebuilt by `migrate`, or of no value in a backup.
SKIPPED_APPS = {"contenttypes", "sessions", "axes", "content_cache"}
# Rebuilt rather than kept: permissions by migrate, the words searches are corrected to by
# restore (casestudies/profile.py).
SKIPPED_MODELS = {"auth.permission", "casestudies.word"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Keeps times to the microsecond, as the database holds them: DjangoJSONEncoder cuts
    them to the millisecond, so that a restore would not give back exactly what was saved."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Command(BaseCommand):
    help = (
        "Writes every piece of content, the editors and the full edit history to one JSON "
        "file, which `manage.py restore` loads into a freshly migrated database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: backups/…)")

    def handle(self, *args, **options):
        default = f"backups/pcc-practice-{timezone.now():%Y%m%d-%H%M%S}.json"
        path = Path(options["output"] or default)
        path.parent.mkdir(parents=True, exist_ok=True)
        live, history = [], []
        for model in apps.get_models():
            label = model._meta.label_lower
            if model._meta.app_label in SKIPPED_APPS or label in SKIPPED_MODELS:
                continue
            if model._meta.proxy or not model._meta.managed:
                continue
            is_history = model.__name__.startswith("Historical")
            (history if is_history else live).append(model)
        # Models come in dependency order, as loaddata needs for natural keys.
        live = serializers.sort_dependencies([(None, live)], allow_cycles=True)
        objects = []
        for models, natural in ((live, True), (history, False)):
            for model in models:
                queryset = model._base_manager.order_by("pk")
                # History rows keep plain ids: they may point at rows that no longer exist.
                objects += serializers.serialize(
                    "python", queryset, use_natural_foreign_keys=natural,
                )
        # Many-to-many values come out of the database in no set order: sort them, so that
        # the same content always gives the same file.
        for obj in objects:
            model = apps.get_model(obj["model"])
            for name, value in obj["fields"].items():
                if model._meta.get_field(name).many_to_many:
                    obj["fields"][name] = sorted(value, key=json.dumps)
        path.write_text(json.dumps(objects, indent=1, ensure_ascii=False, cls=ExactJSONEncoder),
                        encoding="utf-8")
        self.stdout.write(f"Wrote {len(objects)} objects to {path}")
