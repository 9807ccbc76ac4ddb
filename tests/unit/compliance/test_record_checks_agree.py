"""Two statements of "a complete meeting record" (DESIGN §2.1): the form's (``meeting_record.missing_items``,
everything the user must still fill or fix before 完成) and the engine's (``record_completeness``, what it
can read by set queries over ten years of records).  The engine's must never flag a record the form let
through: every record the form calls complete, the engine calls complete too."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from app.domain import meeting_record as form
from app.domain import record_completeness as engine
from app.domain.enums import AttendanceStatus, MeetingKind, MemberKind

TEXT = st.sampled_from(["", " ", "王芳", "协会会议室"])
ATTENDEE = st.builds(form.AttendeeFacts, name=st.sampled_from(["甲", "乙", "丙"]),
                     status=st.sampled_from(list(AttendanceStatus)), reason=TEXT, has_vote=st.booleans(),
                     kind=st.sampled_from([MemberKind.FULL, MemberKind.PROBATIONARY]))


@st.composite
def records(draw: st.DrawFn) -> tuple[form.RecordFacts, engine.RecordFacts]:
    kind = draw(st.sampled_from(list(MeetingKind)))
    filled = draw(st.booleans())  # half the records filled in everywhere the form asks, so both sides are tried
    text = st.just("王芳") if filled else TEXT
    started = datetime(2026, 3, 31, 20, 0) if filled else draw(st.sampled_from([None, datetime(2026, 3, 31, 20, 0)]))
    location, host, recorder, topic, decisions, lecturer = (draw(text) for _ in range(6))
    agenda = tuple(draw(st.lists(TEXT, max_size=2)))
    attendees = tuple(draw(st.lists(ATTENDEE, max_size=4)))
    group = draw(st.booleans())
    ours = form.RecordFacts(kind=kind, started_at=started, location=location, host_name=host,
                            recorder_name=recorder, topic=topic, agenda_titles=agenda, decisions=decisions,
                            lecturer=lecturer, lecture_hours=1.5 if filled else draw(st.sampled_from([None, 1.5])),
                            party_group_named=group or filled, activity_form=draw(text), attendees=attendees,
                            committee_size=draw(st.integers(0, 3)))
    theirs = engine.RecordFacts(kind=kind, has_time=started is not None, location=location, host=host,
                                recorder=recorder, topic=topic, agenda_items=sum(1 for t in agenda if t.strip()),
                                attendance_rows=len(attendees),
                                reasons_missing=sum(1 for a in attendees
                                                    if a.status.needs_reason and not a.reason.strip()),
                                decisions=decisions, lecturer=lecturer, has_group=group or filled)
    return ours, theirs


COMPLETE_SEEN: list[bool] = []


@given(records())
def test_a_record_the_form_completes_is_complete_for_the_engine(pair: tuple[form.RecordFacts,
                                                                           engine.RecordFacts]) -> None:
    ours, theirs = pair
    if not form.missing_items(ours):
        COMPLETE_SEEN.append(True)
        assert engine.missing_items(theirs) == ()


def test_the_property_above_met_complete_records() -> None:
    """Runs after it (file order): the implication was tried on records the form calls complete."""
    assert COMPLETE_SEEN
