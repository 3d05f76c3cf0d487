"""Search: ranked full-text on PostgreSQL, every word on SQLite; the same behaviour on both."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from casestudies.fields import INITIATIVE
from casestudies.models import Initiative
from casestudies.models.initiatives import DERIVED
from tests import pages
from tests.pages import card_slugs, card_titles, one, select

LIST = reverse("website:initiative-list")


def slugs(response):
    return card_slugs(response)


def text_of(initiative):
    return " ".join(
        [initiative.title, initiative.summary, initiative.headline_result,
         initiative.description, initiative.outcomes, initiative.mechanism, initiative.context,
         initiative.harms, initiative.pcc_role_note, initiative.cost_note,
         initiative.search_terms]  # its area's and approaches' names
    ).lower()


def test_triage_finds_every_triage_scheme(client, seed):
    export = json.loads(b"".join(client.get(reverse("opendata:export-json"),
                                            {"q": "triage"}).streaming_content))
    found = {result["url"].rstrip("/").rsplit("/", 1)[-1] for result in export["results"]}
    mentions = {i.slug for i in Initiative.objects.published() if "triage" in text_of(i)}
    assert mentions and mentions <= found
    assert all("triag" in text_of(Initiative.objects.get(slug=s)) for s in found)


def test_a_minus_word_leaves_matches_out(client, seed):
    with_sussex = set(slugs(client.get(LIST, {"q": "street triage"})))
    without = set(slugs(client.get(LIST, {"q": "street triage -Sussex"})))
    assert "sussex-crisis-care-concordat-and-street-triage" in with_sussex
    assert "sussex-crisis-care-concordat-and-street-triage" not in without
    assert "cleveland-street-triage" in without
    assert all("sussex" not in text_of(Initiative.objects.get(slug=s)) for s in without)


def test_a_quoted_phrase_must_appear_as_written(client, make_initiative):
    make_initiative("Phrase", summary="A crisis care concordat was signed.")
    make_initiative("Apart", summary="Care in a crisis; the concordat came later.")
    assert slugs(client.get(LIST, {"q": '"crisis care concordat"'})) == ["phrase"]


def test_title_matches_rank_above_matches_in_the_text(client, make_initiative):
    make_initiative("Board", summary="Partners meet.", description="They opened a cafe.",
                    year_started=2020)
    make_initiative("Crisis cafe", summary="Somewhere to go.", year_started=2010)
    response = client.get(LIST, {"q": "cafe"})
    assert slugs(response) == ["crisis-cafe", "board"]
    assert response.context["sort"] == "relevance"
    assert '<option value="relevance" selected>' in response.text


def test_the_user_can_sort_search_results_another_way(client, make_initiative):
    make_initiative("Board", description="A cafe.", year_started=2020)
    make_initiative("Crisis cafe", year_started=2010)
    assert slugs(client.get(LIST, {"q": "cafe", "sort": "newest"})) == ["board", "crisis-cafe"]


def test_relevance_without_a_search_falls_back_to_newest(client, make_initiative):
    make_initiative("Old", year_started=2010)
    make_initiative("New", year_started=2020)
    response = client.get(LIST, {"sort": "relevance"})
    assert slugs(response) == ["new", "old"]


def test_results_show_an_excerpt_with_the_words_marked(client, make_initiative):
    make_initiative("Board", description="Before <b>this</b>, nurses joined officers on patrol.")
    html = client.get(LIST, {"q": "nurses"}).text
    assert "<mark>nurses</mark> joined officers" in html
    assert "&lt;b&gt;this&lt;/b&gt;" in html
    assert "<b>this</b>" not in html


@pytest.mark.parametrize("sort", ["newest", "reviewed", "title", "area"])
def test_every_order_survives_filtering_and_paging(client, make_area, make_initiative, sort):
    area = make_area("Kent")
    for n in range(25):
        make_initiative(f"Scheme {n:02}", area=area, year_started=2000 + n)
    response = client.get(LIST, {"area": "kent", "sort": sort})
    assert f'<option value="{sort}" selected>' in response.text
    assert f"sort={sort}&amp;page=2" in response.text


def test_empty_results_show_the_filters_and_suggest_removing_one(client, library_for_empty):
    response = client.get(LIST, {"area": "norfolk", "status": "piloting"})
    html = response.text
    assert "0 initiatives" in html
    assert "No practice matches all of these filters" in html
    assert "Area: Norfolk" in html and "Status: Piloting" in html
    suggestions = {s["label"]: s["count"] for s in response.context["suggestions"]}
    # Without Norfolk, the two Kent pilots match; without "piloting", the Norfolk profile.
    assert suggestions == {"Norfolk": 2, "Piloting": 1}
    assert "Remove area: Norfolk</a> to see 2 initiatives" in html


@pytest.fixture
def library_for_empty(make_area, make_initiative):
    norfolk, kent = make_area("Norfolk"), make_area("Kent")
    make_initiative("Profile", area=norfolk, status="ended")
    make_initiative("Pilot A", area=kent, status="piloting")
    make_initiative("Pilot B", area=kent, status="piloting")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL")
def test_postgres_search_uses_the_full_text_index(make_initiative):
    make_initiative("Street triage")
    queryset = Initiative.objects.search("street triage")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "casestudies_initiative_document" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
def test_search_documents_are_kept_in_the_row_not_out_of_line(db):
    """A broad search reads every match's document: through the TOAST table that took three
    times as long as reading the rows (migration 0014)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'casestudies_initiative'::regclass AND attname = 'search_document'"
        )
        assert cursor.fetchone() == ("m",)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite")
def test_sqlite_search_reads_its_fts5_index_and_follows_every_edit(client, make_initiative):
    initiative = make_initiative("Street triage", summary="Nurses ride with officers.")
    queryset = Initiative.objects.search("nurses")
    assert "casestudies_initiative_fts" in str(queryset.query)
    assert list(queryset) == [initiative]
    initiative.summary = "Paramedics ride with officers."
    initiative.save()
    assert not Initiative.objects.search("nurses").exists()
    assert list(Initiative.objects.search("paramedic")) == [initiative]
    initiative.delete()
    assert not Initiative.objects.search("paramedic").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers with a table")
def test_the_sqlite_index_comes_back_after_a_migration_rebuilds_the_table(make_initiative):
    from casestudies.search import FTS, build_sqlite_index

    with connection.cursor() as cursor:  # as a migration that rebuilds the table leaves it
        for trigger in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {FTS}_{trigger}")
    make_initiative("Street triage")
    assert not Initiative.objects.search("triage").exists()
    build_sqlite_index("default")  # what every migrate ends with (casestudies/apps.py)
    assert Initiative.objects.search("triage").count() == 1
    make_initiative("Control room triage")
    assert Initiative.objects.search("triage").count() == 2


@pytest.mark.parametrize("query", [
    " ".join(f"w{n}x" for n in range(80)), "pcc " * 50, "NEAR(street triage)", "street* OR ^x",
    '"" & - -- """', "l&d",
])
def test_searches_full_of_words_or_operators_get_a_page(client, make_initiative, query):
    make_initiative("Street triage", summary="Liaison and diversion (L&D) with the PCC.")
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200


def test_a_long_case_study_is_found_by_its_last_word(client, make_initiative):
    words = " ".join(f"word{n}" for n in range(3000))
    make_initiative("Street triage", description=f"{words} hippopotamus")
    response = client.get(LIST, {"q": "hippopotamus"})
    assert card_titles(response) == ["Street triage"]


@pytest.fixture
def abbreviated(make_initiative):
    texts = {
        "long-136": "Fewer section 136 detentions.", "short-136": "Fewer s136 detentions.",
        "long-rcrp": "Right Care, Right Person began.", "short-rcrp": "RCRP began.",
        "long-lnd": "A liaison and diversion team.", "short-lnd": "An L&D team.",
        "long-ae": "Fewer trips to accident and emergency.", "short-ae": "Fewer A&E visits.",
        "long-pcc": "The police and crime commissioner paid.", "short-pcc": "The OPCC paid.",
        "hyphen": "A nurse in the control-room.", "spaced": "A nurse in the control room.",
        "bright": "A bright future for carers.",
    }
    for slug, summary in texts.items():
        make_initiative(slug.replace("-", " ").title(), slug=slug, summary=summary)


@pytest.mark.parametrize("query, expected", [
    ("s136", {"long-136", "short-136"}),
    ("section 136", {"long-136", "short-136"}),
    ('"section 136"', {"long-136", "short-136"}),
    ("RCRP", {"long-rcrp", "short-rcrp"}),
    ("right care, right person", {"long-rcrp", "short-rcrp"}),
    ("L&D", {"long-lnd", "short-lnd"}),
    ("liaison and diversion", {"long-lnd", "short-lnd"}),
    ("A&E", {"long-ae", "short-ae"}),
    ("accident and emergency", {"long-ae", "short-ae"}),
    ("OPCC", {"long-pcc", "short-pcc"}),
    ("PCC", {"long-pcc", "short-pcc"}),
    ("control room", {"hyphen", "spaced"}),
    ("control-room", {"hyphen", "spaced"}),
    ("-s136 detentions", set()),
])
def test_the_fields_abbreviations_match_both_ways(client, abbreviated, query, expected):
    assert set(slugs(client.get(LIST, {"q": query}))) == expected


def test_words_match_as_words_not_inside_longer_words(client, abbreviated):
    assert "bright" not in slugs(client.get(LIST, {"q": "right"}))
    assert "bright" not in slugs(client.get(LIST, {"q": "care"}))
    assert slugs(client.get(LIST, {"q": "carers"})) == ["bright"]


def test_a_misspelt_search_offers_the_word_the_library_uses(client, make_initiative):
    make_initiative("Street triage", summary="Nurses ride with officers.")
    response = client.get(LIST, {"q": "street triagge", "status": "operating"})
    assert slugs(response) == []
    assert 'Did you mean <a class="govuk-link" href="?q=street+triage&amp;status=operating">' \
           "street triage</a>?" in response.text
    assert slugs(client.get(LIST, {"q": "street triage", "status": "operating"})) == [
        "street-triage"]


def test_nothing_close_offers_no_correction(client, make_initiative):
    make_initiative("Street triage")
    assert "Did you mean" not in client.get(LIST, {"q": "zzzzqqq"}).text


def test_home_and_header_search_boxes_lead_to_the_list(client, make_initiative):
    make_initiative("Street triage", summary="Nurses ride with officers.")
    home = client.get("/")
    assert pages.text_of(home, 'label[for="home-search"]').startswith("Search practice")
    assert not select(home, "#header-search")  # the home page's own box is enough
    about = client.get("/about/")
    form = one(about, 'header form[role="search"]')
    assert (form["method"], form["action"]) == ("get", "/practice/")
    assert form.select_one("#header-search")["name"] == "q"
    assert not select(client.get(LIST), "#header-search")  # the list has its own
    assert slugs(client.get(LIST, {"q": "nurses"})) == ["street-triage"]


@pytest.mark.parametrize("name", [name for name, _ in INITIATIVE.searched()
                                  if name not in DERIVED])
def test_every_field_declared_as_searched_is_searched(make_initiative, name):
    """On PostgreSQL this checks the stored document's trigger against the declaration."""
    found = make_initiative("Plain" if name != "title" else "Quixotry scheme",
                            **({name: "Its quixotry shows here."} if name != "title" else {}))
    make_initiative("Other scheme")
    assert list(Initiative.objects.published().search("quixotry")) == [found]


def test_a_field_not_declared_as_searched_is_not(make_initiative):
    make_initiative("Plain", lead_organisation="Quixotry office")
    assert not Initiative.objects.published().search("quixotry").exists()


def test_an_entry_is_found_by_its_area_and_every_approach_it_belongs_to(
        client, make_area, make_initiative):
    from casestudies.models import Approach

    triage = Approach.objects.create(name="Street triage", slug="street-triage", summary="S.")
    board = Approach.objects.create(name="Strategic board", slug="board", summary="B.")
    cleveland, york = make_area("Cleveland"), make_area("North Yorkshire")
    car = make_initiative("Triage car", area=cleveland, summary="Nurses in a car.",
                          approach=board)
    car.also_approaches.add(triage)  # found by an approach it also includes, at once
    other = make_initiative("Nurses on patrol", area=york,
                            summary="Began after a visit to Cleveland.")
    assert slugs(client.get(LIST, {"q": "street triage"})) == [car.slug]
    assert slugs(client.get(LIST, {"q": "Cleveland", "sort": "relevance"})) == [car.slug,
                                                                               other.slug]
    triage.name = "Mental health triage"
    triage.save()
    assert slugs(client.get(LIST, {"q": "mental health triage"})) == [car.slug]
    car.also_approaches.remove(triage)
    assert not slugs(client.get(LIST, {"q": "mental health triage"}))
    cleveland.name = "Teesside"
    cleveland.save()
    assert slugs(client.get(LIST, {"q": "Teesside"})) == [car.slug]


@pytest.mark.parametrize(("query", "written"), [
    ("frequent", "works with people who repeatedly use crisis services"),
    ("withdrawn", "the pilot was decommissioned in 2019"),
    ("stopped", "the service ended when funding ran out"),
])
def test_the_fields_words_for_the_same_thing_find_each_other(client, make_initiative, query,
                                                              written):
    found = make_initiative("Scheme", summary=f"It {written}.")
    make_initiative("Other", summary="Officers and nurses together.")
    assert slugs(client.get(LIST, {"q": query})) == [found.slug]
