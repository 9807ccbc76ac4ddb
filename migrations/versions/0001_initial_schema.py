"""initial schema: every table of the domain model (DESIGN §2, §3)

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    """The columns every synced table carried at this revision (DESIGN §3), in their order."""
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('org_id', sa.String(length=36), nullable=False),
        sa.Column('server_version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), server_default='', nullable=False),
    ]


def upgrade() -> None:
    op.create_table('agenda_item',
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_org_id'), ['org_id'], unique=False)

    op.create_table('annual_inspection',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('result', sa.Enum('PASSED', 'BASICALLY_PASSED', 'FAILED', 'NOT_INSPECTED', name='inspectionresult', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_inspection')),
    sa.UniqueConstraint('org_id', 'year', name=op.f('uq_annual_inspection_org_id_year'))
    )
    with op.batch_alter_table('annual_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_inspection_org_id'), ['org_id'], unique=False)

    op.create_table('assignment',
    sa.Column('instructor_id', sa.String(length=36), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_instructor_id'), ['instructor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_org_id'), ['org_id'], unique=False)

    op.create_table('attachment',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('owner_entity', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_table('checklist_answer',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('item_code', sa.String(length=30), nullable=False),
    sa.Column('answer', sa.Enum('YES', 'NO', 'NOT_APPLICABLE', name='checklistanswervalue', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_answer'))
    )
    with op.batch_alter_table('checklist_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_answer_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_answer_visit_id'), ['visit_id'], unique=False)

    op.create_table('credit_listing',
    sa.Column('kind', sa.Enum('ABNORMAL', 'SERIOUS', name='creditlistkind', native_enum=False, length=32), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_listing'))
    )
    with op.batch_alter_table('credit_listing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_listing_org_id'), ['org_id'], unique=False)

    op.create_table('finding',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('item_code', sa.String(length=30), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding'))
    )
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finding_visit_id'), ['visit_id'], unique=False)

    op.create_table('instructor',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('server_version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), server_default='', nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('sub_district', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instructor')),
    sa.UniqueConstraint('username', name=op.f('uq_instructor_username'))
    )
    op.create_table('meeting',
    sa.Column('party_org_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.Enum('GENERAL_MEETING', 'COMMITTEE_MEETING', 'GROUP_MEETING', 'PARTY_LECTURE', 'THEME_DAY', 'LIFE_MEETING', 'DEMOCRATIC_REVIEW', 'HEART_TO_HEART', name='meetingkind', native_enum=False, length=32), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('host_name', sa.String(length=50), nullable=False),
    sa.Column('recorder_name', sa.String(length=50), nullable=False),
    sa.Column('expected_count', sa.Integer(), nullable=False),
    sa.Column('present_count', sa.Integer(), nullable=False),
    sa.Column('party_group', sa.String(length=50), nullable=False),
    sa.Column('lecturer', sa.String(length=50), nullable=False),
    sa.Column('lecture_hours', sa.Float(), nullable=True),
    sa.Column('is_election', sa.Boolean(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_party_org_id'), ['party_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_started_at'), ['started_at'], unique=False)

    op.create_table('meeting_attendance',
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('member_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.Enum('PRESENT', 'ABSENT', name='attendancestatus', native_enum=False, length=32), nullable=False),
    sa.Column('absence_reason', sa.String(length=200), nullable=False),
    sa.Column('review_grade', sa.Enum('EXCELLENT', 'QUALIFIED', 'BASICALLY_QUALIFIED', 'UNQUALIFIED', name='reviewgrade', native_enum=False, length=32), nullable=True),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendance'))
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendance_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendance_org_id'), ['org_id'], unique=False)

    op.create_table('member',
    sa.Column('party_org_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.Enum('FULL', 'PROBATIONARY', name='memberkind', native_enum=False, length=32), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('full_member_on', sa.Date(), nullable=True),
    sa.Column('on_probation_discipline', sa.Boolean(), nullable=False),
    sa.Column('relation_transferred', sa.Boolean(), nullable=False),
    sa.Column('party_group', sa.String(length=50), nullable=False),
    sa.Column('committee_role', sa.String(length=20), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_party_org_id'), ['party_org_id'], unique=False)

    op.create_table('notice',
    sa.Column('kind', sa.Enum('VISIT_NOTICE', 'RECTIFICATION_NOTICE', 'REMINDER_LETTER', name='noticekind', native_enum=False, length=32), nullable=False),
    sa.Column('series', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('number_confirmed', sa.Boolean(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    sa.UniqueConstraint('series', 'year', 'sequence', name=op.f('uq_notice_series_year_sequence'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_org_id'), ['org_id'], unique=False)

    op.create_table('org_term',
    sa.Column('term_no', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_term'))
    )
    with op.batch_alter_table('org_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_term_org_id'), ['org_id'], unique=False)

    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('op_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.String(length=36), nullable=True),
    sa.Column('op', sa.Enum('upsert', 'delete', 'transition', 'append', name='outboxop', native_enum=False, length=32), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'in_flight', 'acked', 'rejected', 'conflict', name='outboxstate', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('op_id', name=op.f('uq_outbox_op_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_state'), ['state'], unique=False)

    op.create_table('party_org',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.Enum('BRANCH', 'GENERAL_BRANCH', 'COMMITTEE', name='partyorglevel', native_enum=False, length=32), nullable=False),
    sa.Column('formation', sa.Enum('SINGLE', 'JOINT', 'INDUSTRY', 'REGIONAL', 'EMBEDDED', name='partyorgformation', native_enum=False, length=32), nullable=False),
    sa.Column('established_on', sa.Date(), nullable=True),
    sa.Column('term_years', sa.Integer(), nullable=False),
    sa.Column('term_started_on', sa.Date(), nullable=True),
    sa.Column('secretary_name', sa.String(length=50), nullable=False),
    sa.Column('superior_org', sa.String(length=100), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_org'))
    )
    with op.batch_alter_table('party_org', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_org_org_id'), ['org_id'], unique=False)

    op.create_table('party_org_coverage',
    sa.Column('party_org_id', sa.String(length=36), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_org_coverage'))
    )
    with op.batch_alter_table('party_org_coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_org_coverage_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_org_coverage_party_org_id'), ['party_org_id'], unique=False)

    op.create_table('rectification',
    sa.Column('source', sa.Enum('VISIT', 'INSPECTION', 'ANNUAL_CHECK', name='rectificationsource', native_enum=False, length=32), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('finding_id', sa.String(length=36), nullable=True),
    sa.Column('notice_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('requirement', sa.Text(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('DRAFT', 'ISSUED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REPORTED', 'REVIEW_PASSED', 'REVIEW_FAILED', 'CLOSED', name='rectificationstatus', native_enum=False, length=32), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification'))
    )
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_visit_id'), ['visit_id'], unique=False)

    op.create_table('rectification_follow_up',
    sa.Column('rectification_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.Enum('DRAFT', 'ISSUED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REPORTED', 'REVIEW_PASSED', 'REVIEW_FAILED', 'CLOSED', name='rectificationstatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('DRAFT', 'ISSUED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REPORTED', 'REVIEW_PASSED', 'REVIEW_FAILED', 'CLOSED', name='rectificationstatus', native_enum=False, length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_follow_up'))
    )
    with op.batch_alter_table('rectification_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_follow_up_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_follow_up_rectification_id'), ['rectification_id'], unique=False)

    op.create_table('social_org',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=50), nullable=False),
    sa.Column('org_type', sa.Enum('SOCIAL_GROUP', 'SOCIAL_SERVICE', 'FOUNDATION', 'COMMUNITY_FILED', name='orgtype', native_enum=False, length=32), nullable=False),
    sa.Column('community_category', sa.String(length=20), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('uscc_override_reason', sa.String(length=200), nullable=False),
    sa.Column('legal_representative', sa.String(length=50), nullable=False),
    sa.Column('registration_authority', sa.String(length=100), nullable=False),
    sa.Column('supervisory_unit', sa.String(length=100), nullable=False),
    sa.Column('industry_department', sa.String(length=100), nullable=False),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('sub_district', sa.String(length=50), nullable=False),
    sa.Column('community', sa.String(length=50), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=30), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=True),
    sa.Column('party_member_count', sa.Integer(), nullable=True),
    sa.Column('evaluation_grade', sa.Enum('1A', '2A', '3A', '4A', '5A', name='evaluationgrade', native_enum=False, length=32), nullable=True),
    sa.Column('evaluation_date', sa.Date(), nullable=True),
    sa.Column('party_clause_in_charter', sa.Boolean(), nullable=False),
    sa.Column('party_clause_approved_on', sa.Date(), nullable=True),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('archive_reason', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('name_pinyin', sa.String(length=600), nullable=False),
    sa.Column('name_initials', sa.String(length=100), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_org'))
    )
    with op.batch_alter_table('social_org', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_org_name_pinyin'), ['name_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_social_org_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_social_org_uscc'), ['uscc'], unique=False)

    op.create_table('sync_state',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )
    op.create_table('visit',
    sa.Column('instructor_id', sa.String(length=36), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('mode', sa.Enum('ON_SITE', 'PHONE', 'ONLINE', name='visitmode', native_enum=False, length=32), nullable=False),
    sa.Column('checklist_version', sa.String(length=20), nullable=False),
    sa.Column('met_with', sa.String(length=100), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('notice_id', sa.String(length=36), nullable=True),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_instructor_id'), ['instructor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_visited_on'), ['visited_on'], unique=False)

    op.create_table('vote',
    sa.Column('meeting_id', sa.String(length=36), nullable=False),
    sa.Column('agenda_item_id', sa.String(length=36), nullable=True),
    sa.Column('motion', sa.String(length=200), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('yes', sa.Integer(), nullable=False),
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('abstain', sa.Integer(), nullable=False),
    *_sync_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote'))
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_org_id'), ['org_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_org_id'))
        batch_op.drop_index(batch_op.f('ix_vote_meeting_id'))

    op.drop_table('vote')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_visited_on'))
        batch_op.drop_index(batch_op.f('ix_visit_org_id'))
        batch_op.drop_index(batch_op.f('ix_visit_instructor_id'))

    op.drop_table('visit')
    op.drop_table('sync_state')
    with op.batch_alter_table('social_org', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_org_uscc'))
        batch_op.drop_index(batch_op.f('ix_social_org_org_id'))
        batch_op.drop_index(batch_op.f('ix_social_org_name_pinyin'))

    op.drop_table('social_org')
    with op.batch_alter_table('rectification_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_follow_up_rectification_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_follow_up_org_id'))

    op.drop_table('rectification_follow_up')
    with op.batch_alter_table('rectification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_visit_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_status'))
        batch_op.drop_index(batch_op.f('ix_rectification_org_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_notice_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_deadline'))

    op.drop_table('rectification')
    with op.batch_alter_table('party_org_coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_org_coverage_party_org_id'))
        batch_op.drop_index(batch_op.f('ix_party_org_coverage_org_id'))

    op.drop_table('party_org_coverage')
    with op.batch_alter_table('party_org', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_org_org_id'))

    op.drop_table('party_org')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_state'))
        batch_op.drop_index(batch_op.f('ix_outbox_record_id'))

    op.drop_table('outbox')
    with op.batch_alter_table('org_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_term_org_id'))

    op.drop_table('org_term')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_org_id'))

    op.drop_table('notice')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_party_org_id'))
        batch_op.drop_index(batch_op.f('ix_member_org_id'))

    op.drop_table('member')
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_org_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_member_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_meeting_id'))

    op.drop_table('meeting_attendance')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_started_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_party_org_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_org_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_kind'))

    op.drop_table('meeting')
    op.drop_table('instructor')
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_visit_id'))
        batch_op.drop_index(batch_op.f('ix_finding_org_id'))

    op.drop_table('finding')
    with op.batch_alter_table('credit_listing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_listing_org_id'))

    op.drop_table('credit_listing')
    with op.batch_alter_table('checklist_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_answer_visit_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_answer_org_id'))

    op.drop_table('checklist_answer')
    op.drop_table('audit_log')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_owner_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_org_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_org_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_instructor_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('annual_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_inspection_org_id'))

    op.drop_table('annual_inspection')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_org_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))

    op.drop_table('agenda_item')
