"""The judged queries of tests/search_quality/ (manage.py search_quality prints the figures):
search finds what the library holds, on either database."""

from casestudies.management.commands.search_quality import judged_queries, scores
from casestudies.models import Approach, Area, Initiative


def test_the_judged_queries_are_found_with_a_recall_at_ten_of_095_or_better(seed):
    judged = judged_queries()
    assert len(judged) >= 40
    recalls = {query["query"]: scores(query)[1] for query in judged}
    assert sum(recalls.values()) / len(recalls) >= 0.95, {
        query: recall for query, recall in recalls.items() if recall < 1}


def test_street_triage_finds_every_entry_whose_approaches_include_it(seed):
    triage = Approach.objects.get(slug="street-triage")
    expected = set(Initiative.objects.published().of_approach([triage])
                   .values_list("slug", flat=True))
    found = set(Initiative.objects.published().search("street triage")
                .values_list("slug", flat=True))
    assert expected and expected <= found


def test_an_areas_name_lists_its_entries_first(seed):
    for area in Area.objects.filter(slug__in=["cleveland", "norfolk", "greater-manchester"]):
        own = set(area.initiatives.published().values_list("slug", flat=True))
        first = scores({"query": area.name, "expected": sorted(own)})[2][:len(own)]
        assert set(first) == own, area.name
