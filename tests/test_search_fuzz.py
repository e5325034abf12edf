"""Whatever arrives in the query string, /search answers with a page, never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMS = ["q", "near", "category", "stage", "audience", "mode", "referral", "free", "no_abstinence", "families_welcome", "who", "page"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PARAMS), st.text(max_size=300)), max_size=8))
def test_search_never_fails(client, pairs):
    response = client.get("/search", query_string=pairs)
    assert response.status_code == 200
