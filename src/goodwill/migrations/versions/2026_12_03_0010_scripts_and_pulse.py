"""decision trees (scripts, versions, runs, steps) and the Q12 pulse (schedules, rounds,
anonymous tallies, participation)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision_tree",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_decision_tree_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_decision_tree_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_tree")),
    )
    with op.batch_alter_table("decision_tree", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_tree_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_decision_tree_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "pulse_schedule",
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("next_open_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_pulse_schedule_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_pulse_schedule_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_pulse_schedule_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_schedule")),
    )
    with op.batch_alter_table("pulse_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_schedule_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_schedule_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pulse_schedule_team_id"), ["team_id"], unique=False)

    op.create_table(
        "decision_tree_version",
        sa.Column("tree_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_format", sa.String(length=10), nullable=False),
        sa.Column(
            "definition", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column(
            "errors", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_decision_tree_version_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_decision_tree_version_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tree_id"],
            ["decision_tree.id"],
            name=op.f("fk_decision_tree_version_tree_id_decision_tree"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_tree_version")),
        sa.UniqueConstraint(
            "tree_id", "number", name=op.f("uq_decision_tree_version_tree_id_number")
        ),
    )
    with op.batch_alter_table("decision_tree_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_tree_version_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_decision_tree_version_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "pulse_round",
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("schedule_id", sa.Uuid(), nullable=True),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_pulse_round_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_pulse_round_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["pulse_schedule.id"],
            name=op.f("fk_pulse_round_schedule_id_pulse_schedule"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_pulse_round_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_round")),
    )
    with op.batch_alter_table("pulse_round", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_round_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_round_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_round_organisation_id_opens_at"),
            ["organisation_id", "opens_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_round_schedule_id"), ["schedule_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pulse_round_team_id"), ["team_id"], unique=False)

    op.create_table(
        "pulse_participation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_pulse_participation_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_pulse_participation_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["pulse_round.id"],
            name=op.f("fk_pulse_participation_round_id_pulse_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_participation")),
        sa.UniqueConstraint(
            "round_id", "member_id", name=op.f("uq_pulse_participation_round_id_member_id")
        ),
    )
    with op.batch_alter_table("pulse_participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_participation_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_participation_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "pulse_tally",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_pulse_tally_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["pulse_round.id"],
            name=op.f("fk_pulse_tally_round_id_pulse_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_pulse_tally_team_id_team"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_tally")),
    )
    with op.batch_alter_table("pulse_tally", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_tally_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_tally_round_id_team_id"), ["round_id", "team_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pulse_tally_team_id"), ["team_id"], unique=False)

    op.create_table(
        "tree_run",
        sa.Column("tree_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("relationship_id", sa.Uuid(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("current_node", sa.String(length=200), nullable=False),
        sa.Column("path", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("health_at_start", sa.Double(), nullable=True),
        sa.Column("stage_at_start", sa.String(length=30), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_step_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_tree_run_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_tree_run_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_tree_run_relationship_id_relationship"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tree_id"],
            ["decision_tree.id"],
            name=op.f("fk_tree_run_tree_id_decision_tree"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["decision_tree_version.id"],
            name=op.f("fk_tree_run_version_id_decision_tree_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tree_run")),
    )
    with op.batch_alter_table("tree_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tree_run_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tree_run_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tree_run_relationship_id"), ["relationship_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tree_run_tree_id_started_at"), ["tree_id", "started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tree_run_version_id"), ["version_id"], unique=False)

    op.create_table(
        "tree_run_step",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_node", sa.String(length=200), nullable=False),
        sa.Column("option", sa.String(length=500), nullable=False),
        sa.Column("to_node", sa.String(length=200), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_tree_run_step_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_tree_run_step_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["tree_run.id"],
            name=op.f("fk_tree_run_step_run_id_tree_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tree_run_step")),
        sa.UniqueConstraint("run_id", "position", name=op.f("uq_tree_run_step_run_id_position")),
    )
    with op.batch_alter_table("tree_run_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tree_run_step_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tree_run_step_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.alter_column(
            "risk", existing_type=sa.FLOAT(), type_=sa.Double(), existing_nullable=True
        )

    with op.batch_alter_table("relationship_score_history", schema=None) as batch_op:
        batch_op.alter_column(
            "health", existing_type=sa.FLOAT(), type_=sa.Double(), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("relationship_score_history", schema=None) as batch_op:
        batch_op.alter_column(
            "health", existing_type=sa.Double(), type_=sa.FLOAT(), existing_nullable=True
        )

    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.alter_column(
            "risk", existing_type=sa.Double(), type_=sa.FLOAT(), existing_nullable=True
        )

    with op.batch_alter_table("tree_run_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tree_run_step_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_tree_run_step_member_id"))

    op.drop_table("tree_run_step")
    with op.batch_alter_table("tree_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tree_run_version_id"))
        batch_op.drop_index(batch_op.f("ix_tree_run_tree_id_started_at"))
        batch_op.drop_index(batch_op.f("ix_tree_run_relationship_id"))
        batch_op.drop_index(batch_op.f("ix_tree_run_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_tree_run_member_id"))

    op.drop_table("tree_run")
    with op.batch_alter_table("pulse_tally", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_tally_team_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_tally_round_id_team_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_tally_organisation_id"))

    op.drop_table("pulse_tally")
    with op.batch_alter_table("pulse_participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_participation_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_participation_member_id"))

    op.drop_table("pulse_participation")
    with op.batch_alter_table("pulse_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_round_team_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_round_schedule_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_round_organisation_id_opens_at"))
        batch_op.drop_index(batch_op.f("ix_pulse_round_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_round_created_by_member_id"))

    op.drop_table("pulse_round")
    with op.batch_alter_table("decision_tree_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_tree_version_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_decision_tree_version_created_by_member_id"))

    op.drop_table("decision_tree_version")
    with op.batch_alter_table("pulse_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_schedule_team_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_schedule_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_schedule_created_by_member_id"))

    op.drop_table("pulse_schedule")
    with op.batch_alter_table("decision_tree", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_tree_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_decision_tree_created_by_member_id"))

    op.drop_table("decision_tree")
