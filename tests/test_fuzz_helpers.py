"""The role fuzzer's own parts, checked on small pages: reading forms as a browser would, and filling them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import values
from tests.fuzz.htmlforms import read

PAGE = """
<a href="/services/a?x=1">A</a> <a href="https://elsewhere.example/">away</a>
<form method="post" action="/manage/1/schedules/2">
  <input type="hidden" name="csrf_token" value="tok">
  <input name="dtstart" value="1"><input name="dtstart" value="9"><input name="dtstart" value="2026">
  <input type="radio" name="kind" value="session" checked><input type="radio" name="kind" value="opening">
  <input type="checkbox" name="day" value="MO"><input type="checkbox" name="day" value="TU" checked>
  <select name="position"><option value="">None</option><option value="1">1st</option></select>
  <textarea name="notes">
Upstairs &amp; left</textarea>
  <input name="ignored" disabled value="x">
  <button type="submit" name="action" value="save">Save</button>
</form>
<form><input name="q"></form>
"""


def test_forms_and_links_are_read_as_a_browser_sends_them():
    page = read(PAGE, "/manage/1")
    post, search = page.forms
    assert (post.method, post.action, search.method, search.action) == ("post", "/manage/1/schedules/2", "get", "/manage/1")
    fields = {f.name: f for f in post.fields}
    assert fields["dtstart"].defaults == ("1", "9", "2026")
    assert (fields["kind"].kind, fields["kind"].options, fields["kind"].defaults) == ("choice", ("session", "opening"), ("session",))
    assert (fields["day"].kind, fields["day"].defaults) == ("multi", ("TU",))
    assert fields["position"].defaults == ("",)  # a select with nothing marked sends its first option
    assert fields["notes"].defaults == ("Upstairs & left",)
    assert "ignored" not in fields and fields["csrf_token"].hidden
    assert post.default_pairs() == [("csrf_token", "tok"), ("dtstart", "1"), ("dtstart", "9"), ("dtstart", "2026"),
                                    ("kind", "session"), ("day", "TU"), ("position", ""), ("notes", "Upstairs & left")]
    assert page.links == ["/services/a?x=1"]


KNOWN = values.Known(("TU",), ("q",), (("email", ("a@example.org",)),), (("1", "1", "2026"),))


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_a_drawn_submission_keeps_the_token_and_sends_the_page_as_it_is_now(data):
    form = read(PAGE, "/manage/1").forms[0]
    drawn = data.draw(values.form_data(form, KNOWN))
    now = read(PAGE.replace('value="tok"', 'value="new"'), "/manage/1").forms[0]
    sent = values.as_sent(drawn, now)
    assert ("csrf_token", "new") in sent and ("csrf_token", "tok") not in sent
    assert all(isinstance(value, str) for _, value in sent)
