"""The word-level diff staff read, and how field values read in words: pure, no app."""

from __future__ import annotations

from directory.listings import diff, schema
from directory.signposting import privacy


def test_one_changed_word_in_a_long_text_is_the_only_change():
    old = diff.tokens(["We meet every Tuesday in the church hall at 7pm."], split=True)
    new = diff.tokens(["We meet every Thursday in the church hall at 7pm."], split=True)
    assert diff.pieces(old, new) == [
        diff.Piece(diff.SAME, "We meet every"), diff.Piece(diff.REMOVED, "Tuesday"), diff.Piece(diff.ADDED, "Thursday"),
        diff.Piece(diff.SAME, "in the church hall at 7pm."),
    ]


def test_lists_are_compared_item_by_item_with_labels_not_codes():
    old = schema.words("stages", ["engagement", "persuasion"])
    new = schema.words("stages", ["relapse-prevention", "engagement"])
    assert old == ["Engagement", "Persuasion"] and new == ["Engagement", "Relapse prevention"]
    assert diff.pieces(diff.tokens(old, False), diff.tokens(new, False)) == [
        diff.Piece(diff.SAME, "Engagement"), diff.Piece(diff.REMOVED, "Persuasion"), diff.Piece(diff.ADDED, "Relapse prevention"),
    ]


def test_values_read_in_words():
    assert schema.as_text("group_type", "hearing-voices") == "Hearing Voices group"
    assert schema.as_text("free", False) == "No"
    assert schema.as_text("organisation_id", 3, {3: "Testham Trust"}) == "Testham Trust"
    assert schema.as_text("languages", ["English", "Tigrinya"]) == "English, Tigrinya"
    assert schema.as_text("wait", "") == ""
    assert schema.as_text("meeting_types", ["ZZ"]) == "ZZ", "an unknown code is still shown"


def test_facilitators_may_not_change_staff_only_fields():
    assert {"organisation_id", "national", "area_served", "professional_details", "professional_only"}.isdisjoint(
        schema.fields_for(is_staff=False))
    assert set(schema.fields_for(is_staff=True)) == set(schema.BY_NAME)


def test_a_worker_s_first_name_is_fine_in_a_note_but_client_details_are_not():
    assert privacy.looks_personal("ask for Sam on Tuesdays; bring a letter") is None
    assert privacy.looks_personal("open 9 to 5, bus 42") is None
    assert privacy.looks_personal("+44 161 496 0000") == "a phone number"
    assert privacy.looks_personal("Dr. Jones referred") == "a name"
