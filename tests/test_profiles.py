"""What an entry stores about itself (readiness, what it documents, its strongest evaluation
design, the other areas with practice of its approach) always equals what the rules work out,
whatever was changed and however."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casestudies.models import Approach, Cost, Evaluation, Initiative, Partner
from casestudies.models.initiatives import DERIVED
from casestudies.profile import rebuild, worked_out
from tests.conftest import RIPE
from tests.pages import select, text

pytestmark = pytest.mark.usefixtures("today")


def stored():
    return {row["pk"]: {name: row[name] for name in DERIVED}
            for row in Initiative.objects.values("pk", *DERIVED)}


def assert_stored_as_worked_out():
    assert stored() == worked_out(Initiative.objects.all())


def test_the_seed_stores_what_the_rules_work_out(seed):
    assert Initiative.objects.count() > 50
    assert_stored_as_worked_out()
    assert Initiative.objects.exclude(best_design=None).exists()
    assert Initiative.objects.filter(elsewhere__gt=0).exists()


def test_the_seed_command_works_each_entry_out_once_when_its_rows_are_in(db, monkeypatch):
    """Each of the seed's claims, costs and evaluations once worked its entry out again as it
    was saved: 1,800 times for the seed command. Now each entry is worked out once, at the end,
    and what is stored is still what the rules give."""
    from django.core.management import call_command

    from casestudies import profile

    calls, refresh = [], profile.refresh

    def counted(queryset):  # how many initiatives each call worked out
        calls.append(refresh(queryset))
        return calls[-1]

    monkeypatch.setattr(profile, "refresh", counted)
    call_command("seed", verbosity=0)
    assert Initiative.objects.count() > 50
    assert sum(calls) == Initiative.objects.count()
    assert len(calls) == -(-Initiative.objects.count() // profile.BATCH)
    assert_stored_as_worked_out()


def test_a_failed_load_stores_nothing_it_began(make_initiative):
    from casestudies import profile

    initiative = make_initiative()
    with pytest.raises(RuntimeError), profile.deferred():
        make_evaluation(initiative)
        raise RuntimeError("a fixture's row is refused")
    assert not Evaluation.objects.exists()
    assert_stored_as_worked_out()
    with profile.deferred():
        make_evaluation(initiative)
        assert stored()[initiative.pk]["best_design"] is None  # not yet: at the block's end
    assert stored()[initiative.pk]["best_design"] == 2
    assert_stored_as_worked_out()


def test_rebuild_mends_values_changed_behind_the_rules_back(seed):
    Initiative.objects.update(best_design=5, elsewhere=99, emmie_effect=False, ripe_until=None)
    assert stored() != worked_out(Initiative.objects.all())
    assert rebuild() == Initiative.objects.count()
    assert_stored_as_worked_out()


def ripe_tags(response):
    """The "ripe" tags of the page's result cards."""
    return [text(tag) for tag in select(response, "[data-card] .app-labels .govuk-tag--green")]


def make_evaluation(initiative, design=2, title="Evaluation"):
    return Evaluation.objects.create(
        initiative=initiative, title=title, evaluator="A university", independent=True,
        year=2024, design=design, kind="impact", findings="Fewer detentions.", url="https://example.org/e")


def test_an_evaluation_a_cost_and_a_verification_date_change_what_is_stored_at_once(
        make_ripe, make_initiative, client):
    ripe = make_ripe("Street triage")
    assert ripe in Initiative.objects.ripe()
    assert Initiative.objects.get(pk=ripe.pk).best_design == 2
    extra = make_evaluation(ripe, design=4, title="A stronger study")
    assert Initiative.objects.get(pk=ripe.pk).best_design == 4
    extra.delete()
    assert Initiative.objects.get(pk=ripe.pk).best_design == 2
    plain = make_initiative("Crisis cafe")
    assert not Initiative.objects.get(pk=plain.pk).emmie_cost
    Cost.objects.create(initiative=plain, kind="running", amount=1000, year=2020,
                        covers="A year", url="https://example.org/cost")
    assert Initiative.objects.get(pk=plain.pk).emmie_cost
    ripe.last_verified = datetime.date(2020, 1, 1)
    ripe.save()
    assert ripe not in Initiative.objects.ripe()
    assert "Not yet ripe for replication" in client.get(ripe.get_absolute_url()).text
    assert_stored_as_worked_out()


def test_ripe_lapses_by_itself_when_the_verification_does(make_ripe, time_machine):
    ripe = make_ripe("Street triage")
    assert Initiative.objects.ripe().count() == 1
    time_machine.move_to(datetime.date.today() + datetime.timedelta(days=366))
    assert not Initiative.objects.ripe().exists()
    assert Initiative.objects.get(pk=ripe.pk).ripe_until is not None  # no job ran


def test_an_edit_in_admin_changes_the_card_at_once(editor_client, make_ripe, client):
    from tests.test_admin import INLINES

    ripe = make_ripe("Street triage")
    assert ripe_tags(client.get("/practice/")) == ["Ripe for replication"]
    url = reverse("admin:casestudies_initiative_change", args=[ripe.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({f"{prefix}-{count}": "0" for prefix in INLINES
                 for count in ("TOTAL_FORMS", "INITIAL_FORMS")})
    evaluation = ripe.evaluations.get()
    data.update({"evaluations-TOTAL_FORMS": "1", "evaluations-INITIAL_FORMS": "1",
                 "evaluations-0-id": evaluation.pk, "evaluations-0-initiative": ripe.pk,
                 "evaluations-0-title": evaluation.title, "evaluations-0-evaluator": "Them",
                 "evaluations-0-independent": "on", "evaluations-0-year": "2024",
                 "evaluations-0-design": "5", "evaluations-0-findings": "Fewer.",
                 "evaluations-0-url": "https://example.org/e", "evaluations-0-kind": "impact",
                 "cost_band": "not-known", "last_verified": "01/01/2026",
                 "verified_how": "sources"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = Initiative.objects.get(pk=ripe.pk)
    assert (entry.best_design, entry.ready_cost, entry.ripe_until) == (5, False, None)
    assert ripe_tags(client.get("/practice/")) == []


OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["create", "evaluate", "cost", "move", "publish", "verify", "clear",
                     "delete", "forget", "theme", "partner", "retype", "unlink"]),
    st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=3)),
    min_size=1, max_size=12)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_whatever_is_changed_the_stored_values_follow(make_area, make_theme, operations):
    """Random edits through the models, as every write path makes them: after each, what is
    stored equals what the rules work out."""
    Initiative.objects.all().delete()
    areas = [make_area() for _ in range(3)]
    approaches = [Approach.objects.get_or_create(
        slug=f"approach-{n}", defaults={"name": f"Approach {n}", "summary": "A kind."})[0]
        for n in range(2)]
    theme, themes = make_theme(), [make_theme() for _ in range(2)]
    types = ["police-force", "nhs-provider", "voluntary-sector"]
    partners = [Partner.objects.update_or_create(slug=f"partner-{n}", defaults={
        "name": f"Partner {n}", "partner_type": types[n]})[0] for n in range(3)]
    made = []
    for step, (operation, a, b) in enumerate(operations):
        target = Initiative.objects.filter(pk__in=made).order_by("pk")[a:a + 1].first()
        if operation == "create" or target is None:
            target = Initiative.objects.create(
                title=f"Practice {len(made)}", slug=f"practice-{len(made)}", area=areas[b % 3],
                approach=approaches[a % 2] if b else None, summary="S.", description="D.",
                lead_organisation="Office", state="published" if a % 2 else "draft",
                **(RIPE if a > 2 else {}))
            target.themes.set([theme])
            made.append(target.pk)
        elif operation == "evaluate":
            make_evaluation(target, design=b + 1, title=f"Study {step}")
        elif operation == "cost":
            Cost.objects.create(initiative=target, kind="running", amount=100 * (a + 1),
                                year=2020 + b, covers=f"Year {step}", url="https://e.org/c")
        elif operation == "move":
            target.area, target.approach = areas[a % 3], approaches[b % 2] if a else None
            target.save()
        elif operation == "publish":
            target.state = "published" if b % 2 else "draft"
            target.save(update_fields=["state", "updated"])
        elif operation == "verify":
            target.last_verified = datetime.date(2026, 12, 1) - datetime.timedelta(days=200 * b)
            target.verified_how = "sources"
            target.save()
        elif operation == "clear":
            target.evaluations.all().delete()
            target.costs.all().delete()
        elif operation == "delete":
            target.delete()
        elif operation == "theme":  # from either side of the link
            if a % 2:
                target.themes.set(themes[:b % 3])
            else:
                themes[b % 2].initiatives.add(target)
        elif operation == "partner":
            target.partners.add(partners[b % 3], partners[a % 3])
        elif operation == "retype":  # a partner's type is stored on its initiatives
            partners[b % 3].partner_type = types[a % 3]
            partners[b % 3].save()
        elif operation == "unlink":  # clearing or deleting sends no change of the entry
            if a == 0:
                themes[b % 2].initiatives.clear()
            elif a == 1:
                partners[b % 3].initiatives.clear()
            else:  # a theme or a partner deleted, and its links with it
                gone = make_theme() if a == 2 else Partner.objects.create(
                    name=f"Gone {step}", slug=f"gone-{step}", partner_type=types[b % 3])
                gone.initiatives.add(target)
                assert_stored_as_worked_out()
                gone.delete()
        elif operation == "forget":
            Initiative.objects.filter(pk=target.pk).update(mechanism="", outcomes="")
            target.refresh_from_db()
            target.save()
        assert_stored_as_worked_out()


def test_a_card_is_read_without_a_subquery_for_each_row(make_initiative):
    make_initiative("Street triage")
    sql = str(Initiative.objects.for_cards().query).upper()
    assert sql.count("SELECT") == 1, sql


def test_a_card_reads_only_what_it_shows_and_a_search_its_excerpt(make_initiative, client,
                                                                   django_assert_max_num_queries):
    """The long texts stay in the database for a page of cards, unless a search quotes them;
    reading less must not cost a query for each card."""
    make_initiative("Street triage", description="Officers and nurses go out together.")
    sql = str(Initiative.objects.for_cards().query)
    assert '"title"' in sql and '"description"' not in sql and '"outcomes"' not in sql
    assert '"description"' in str(Initiative.objects.for_cards(["description"]).query)
    for n in range(25):
        make_initiative(f"Scheme {n}")
    with django_assert_max_num_queries(21):
        page = client.get(reverse("website:initiative-list"))
    assert len(select(page, "[data-card]")) == 20
    found = client.get(reverse("website:initiative-list"), {"q": "nurses"})
    assert "Officers and nurses go out together" in text(select(found, "[data-card]")[0])


def test_a_card_names_its_themes_in_the_themes_order(make_initiative, make_theme, client):
    later = make_theme("Alpha last", display_order=9)
    first = make_theme("Zulu first", display_order=1)
    make_initiative("Street triage", themes=[later, first])
    make_initiative("No themes", themes=[])
    cards = {text(card).split("\n")[0]: text(card) for card in
             select(client.get(reverse("website:initiative-list")), "[data-card]")}
    triage = next(card for title, card in cards.items() if title.startswith("Street triage"))
    assert "Themes: Zulu first; Alpha last" in triage
    bare = next(card for title, card in cards.items() if title.startswith("No themes"))
    assert "Themes: Evaluation:" in " ".join(bare.split())


def test_a_theme_or_partner_saved_unchanged_in_what_entries_store_reworks_none(
        make_initiative, make_theme, monkeypatch):
    """Editing a theme's summary or a partner's name leaves its initiatives alone (a theme of
    thousands would otherwise be slow to save); a new slug or type reworks them."""
    from casestudies import profile

    theme = make_theme()
    partner = Partner.objects.create(name="A trust", slug="a-trust", partner_type="nhs-provider")
    make_initiative(themes=[theme], partners=[partner])
    worked = []
    monkeypatch.setattr(profile, "refresh", lambda queryset: worked.append(queryset.count()))
    theme.summary, partner.name = "Reworded.", "The trust"
    theme.save()
    partner.save()
    assert worked == []
    theme.slug, partner.partner_type = "renamed", "voluntary-sector"
    theme.save()
    partner.save()
    assert worked == [1, 1]


def test_deleting_what_an_entry_links_to_reworks_the_entry(make_initiative, make_theme):
    """Deleting an approach it also includes, a theme or a partner takes the link with it and
    sends no change of links: the entry's search terms, themes and partner types still follow."""
    also = Approach.objects.create(slug="crisis-cafe", name="Crisis cafe", summary="A kind.")
    theme, kept = make_theme(), make_theme()
    partner = Partner.objects.create(name="A trust", slug="a-trust", partner_type="nhs-provider")
    entry = make_initiative(themes=[theme, kept], partners=[partner])
    entry.also_approaches.add(also)
    assert "Crisis cafe" in stored()[entry.pk]["search_terms"]
    for gone in (also, theme, partner):
        gone.delete()
        assert_stored_as_worked_out()
    assert "Crisis cafe" not in stored()[entry.pk]["search_terms"]
    assert (stored()[entry.pk]["theme_slugs"], stored()[entry.pk]["partner_types"]) \
        == (kept.slug, "")
