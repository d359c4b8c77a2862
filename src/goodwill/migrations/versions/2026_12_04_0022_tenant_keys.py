"""organisation_id in every tenant key: primary, unique and foreign keys a distributed
PostgreSQL (Citus, organisation_id as distribution column) accepts

On PostgreSQL every tenant table's primary key gains ``organisation_id`` (last, so a look-up by
``id`` keeps its index), every unique constraint without it gains it, and every foreign key
between tenant tables becomes ``(x_id, organisation_id) REFERENCES x (id, organisation_id)``:
a row can no longer point at another organisation's row, and ``ON DELETE SET NULL`` names its
column (PostgreSQL 15), so the organisation is never nulled. SQLite keeps the single-column
keys it was created with: it never runs distributed, and SQLite's ``SET NULL`` would null every
column of a composite key (docs/scaling.md, "PostgreSQL past one machine").

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 19:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORG = "organisation_id"

# (table, constraint, column, referred table, ON DELETE)
FOREIGN_KEYS = [
    (
        "contact_reason",
        "fk_contact_reason_merged_into_id_contact_reason",
        "merged_into_id",
        "contact_reason",
        "SET NULL",
    ),
    ("customer", "fk_customer_account_id_account", "account_id", "account", "SET NULL"),
    ("member", "fk_member_team_id_team", "team_id", "team", "SET NULL"),
    ("api_token", "fk_api_token_member_id_member", "member_id", "member", "CASCADE"),
    ("conversation", "fk_conversation_customer_id_customer", "customer_id", "customer", "CASCADE"),
    (
        "decision_tree",
        "fk_decision_tree_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "feedback_idea",
        "fk_feedback_idea_merged_into_id_feedback_idea",
        "merged_into_id",
        "feedback_idea",
        "SET NULL",
    ),
    (
        "feedback_idea",
        "fk_feedback_idea_owner_member_id_member",
        "owner_member_id",
        "member",
        "SET NULL",
    ),
    (
        "import_batch",
        "fk_import_batch_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    ("pulse_schedule", "fk_pulse_schedule_team_id_team", "team_id", "team", "CASCADE"),
    (
        "pulse_schedule",
        "fk_pulse_schedule_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "reason_training",
        "fk_reason_training_requested_by_id_member",
        "requested_by_id",
        "member",
        "SET NULL",
    ),
    ("relationship", "fk_relationship_customer_id_customer", "customer_id", "customer", "CASCADE"),
    (
        "relationship",
        "fk_relationship_owner_member_id_member",
        "owner_member_id",
        "member",
        "SET NULL",
    ),
    (
        "response_framework",
        "fk_response_framework_owner_member_id_member",
        "owner_member_id",
        "member",
        "SET NULL",
    ),
    ("task_snapshot", "fk_task_snapshot_member_id_member", "member_id", "member", "CASCADE"),
    (
        "coach_verdict",
        "fk_coach_verdict_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    ("coach_verdict", "fk_coach_verdict_member_id_member", "member_id", "member", "SET NULL"),
    (
        "decision_tree_version",
        "fk_decision_tree_version_tree_id_decision_tree",
        "tree_id",
        "decision_tree",
        "CASCADE",
    ),
    (
        "decision_tree_version",
        "fk_decision_tree_version_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "feedback_idea_status",
        "fk_feedback_idea_status_idea_id_feedback_idea",
        "idea_id",
        "feedback_idea",
        "CASCADE",
    ),
    (
        "feedback_idea_status",
        "fk_feedback_idea_status_member_id_member",
        "member_id",
        "member",
        "SET NULL",
    ),
    (
        "interaction",
        "fk_interaction_conversation_id_conversation",
        "conversation_id",
        "conversation",
        "CASCADE",
    ),
    ("interaction", "fk_interaction_customer_id_customer", "customer_id", "customer", "CASCADE"),
    (
        "interaction",
        "fk_interaction_author_member_id_member",
        "author_member_id",
        "member",
        "SET NULL",
    ),
    (
        "interaction",
        "fk_interaction_import_batch_id_import_batch",
        "import_batch_id",
        "import_batch",
        "SET NULL",
    ),
    (
        "perception_request",
        "fk_perception_request_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "perception_request",
        "fk_perception_request_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    ("pulse_round", "fk_pulse_round_team_id_team", "team_id", "team", "CASCADE"),
    (
        "pulse_round",
        "fk_pulse_round_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "pulse_round",
        "fk_pulse_round_schedule_id_pulse_schedule",
        "schedule_id",
        "pulse_schedule",
        "SET NULL",
    ),
    (
        "relationship_score_history",
        "fk_relationship_score_history_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    (
        "relationship_stage_history",
        "fk_relationship_stage_history_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    (
        "response_framework_version",
        "fk_response_framework_version_override_member_id_member",
        "override_member_id",
        "member",
        "SET NULL",
    ),
    (
        "response_framework_version",
        "fk_response_framework_version_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "response_framework_version",
        "fk_response_framework_version_framework_id_response_framework",
        "framework_id",
        "response_framework",
        "CASCADE",
    ),
    (
        "segment_membership",
        "fk_segment_membership_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    (
        "segment_membership",
        "fk_segment_membership_segment_id_segment",
        "segment_id",
        "segment",
        "CASCADE",
    ),
    (
        "task_action",
        "fk_task_action_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    ("task_action", "fk_task_action_member_id_member", "member_id", "member", "SET NULL"),
    ("commitment", "fk_commitment_owner_member_id_member", "owner_member_id", "member", "SET NULL"),
    (
        "commitment",
        "fk_commitment_closed_by_interaction_id_interaction",
        "closed_by_interaction_id",
        "interaction",
        "SET NULL",
    ),
    (
        "commitment",
        "fk_commitment_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    (
        "commitment",
        "fk_commitment_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    (
        "feedback_suggestion",
        "fk_feedback_suggestion_customer_id_customer",
        "customer_id",
        "customer",
        "CASCADE",
    ),
    (
        "feedback_suggestion",
        "fk_feedback_suggestion_idea_id_feedback_idea",
        "idea_id",
        "feedback_idea",
        "CASCADE",
    ),
    (
        "feedback_suggestion",
        "fk_feedback_suggestion_created_by_member_id_member",
        "created_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "feedback_suggestion",
        "fk_feedback_suggestion_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    (
        "framework_usage",
        "fk_framework_usage_version_id_response_framework_version",
        "version_id",
        "response_framework_version",
        "CASCADE",
    ),
    (
        "framework_usage",
        "fk_framework_usage_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    ("framework_usage", "fk_framework_usage_member_id_member", "member_id", "member", "SET NULL"),
    (
        "framework_usage",
        "fk_framework_usage_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    (
        "framework_usage",
        "fk_framework_usage_framework_id_response_framework",
        "framework_id",
        "response_framework",
        "CASCADE",
    ),
    (
        "interaction_raw",
        "fk_interaction_raw_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    (
        "message_analysis",
        "fk_message_analysis_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    (
        "message_embedding",
        "fk_message_embedding_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    (
        "message_reason",
        "fk_message_reason_assigned_by_member_id_member",
        "assigned_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "message_reason",
        "fk_message_reason_reason_id_contact_reason",
        "reason_id",
        "contact_reason",
        "SET NULL",
    ),
    (
        "message_reason",
        "fk_message_reason_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    (
        "message_reason",
        "fk_message_reason_model_id_reason_model",
        "model_id",
        "reason_model",
        "SET NULL",
    ),
    (
        "perception_answer",
        "fk_perception_answer_request_id_perception_request",
        "request_id",
        "perception_request",
        "CASCADE",
    ),
    (
        "perception_answer",
        "fk_perception_answer_member_id_member",
        "member_id",
        "member",
        "SET NULL",
    ),
    (
        "perception_answer",
        "fk_perception_answer_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "CASCADE",
    ),
    (
        "pulse_participation",
        "fk_pulse_participation_round_id_pulse_round",
        "round_id",
        "pulse_round",
        "CASCADE",
    ),
    (
        "pulse_participation",
        "fk_pulse_participation_member_id_member",
        "member_id",
        "member",
        "CASCADE",
    ),
    ("pulse_tally", "fk_pulse_tally_team_id_team", "team_id", "team", "SET NULL"),
    ("pulse_tally", "fk_pulse_tally_round_id_pulse_round", "round_id", "pulse_round", "CASCADE"),
    (
        "reason_example",
        "fk_reason_example_reason_id_contact_reason",
        "reason_id",
        "contact_reason",
        "CASCADE",
    ),
    (
        "reason_example",
        "fk_reason_example_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "SET NULL",
    ),
    (
        "reply_review",
        "fk_reply_review_interaction_id_interaction",
        "interaction_id",
        "interaction",
        "CASCADE",
    ),
    ("tree_run", "fk_tree_run_tree_id_decision_tree", "tree_id", "decision_tree", "CASCADE"),
    (
        "tree_run",
        "fk_tree_run_relationship_id_relationship",
        "relationship_id",
        "relationship",
        "SET NULL",
    ),
    (
        "tree_run",
        "fk_tree_run_version_id_decision_tree_version",
        "version_id",
        "decision_tree_version",
        "CASCADE",
    ),
    ("tree_run", "fk_tree_run_member_id_member", "member_id", "member", "SET NULL"),
    (
        "feedback_loop_draft",
        "fk_feedback_loop_draft_sent_by_member_id_member",
        "sent_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "feedback_loop_draft",
        "fk_feedback_loop_draft_edited_by_member_id_member",
        "edited_by_member_id",
        "member",
        "SET NULL",
    ),
    (
        "feedback_loop_draft",
        "fk_feedback_loop_draft_customer_id_customer",
        "customer_id",
        "customer",
        "CASCADE",
    ),
    (
        "feedback_loop_draft",
        "fk_feedback_loop_draft_suggestion_id_feedback_suggestion",
        "suggestion_id",
        "feedback_suggestion",
        "CASCADE",
    ),
    (
        "feedback_loop_draft",
        "fk_feedback_loop_draft_idea_id_feedback_idea",
        "idea_id",
        "feedback_idea",
        "CASCADE",
    ),
    ("tree_run_step", "fk_tree_run_step_run_id_tree_run", "run_id", "tree_run", "CASCADE"),
    ("tree_run_step", "fk_tree_run_step_member_id_member", "member_id", "member", "SET NULL"),
    (
        "feedback_delivery",
        "fk_feedback_delivery_draft_id_feedback_loop_draft",
        "draft_id",
        "feedback_loop_draft",
        "CASCADE",
    ),
]
# (table, constraint, columns before): organisation_id is added last
PRIMARY_KEYS = [
    ("account", "pk_account", ["id"]),
    ("audit_event", "pk_audit_event", ["id"]),
    ("contact_reason", "pk_contact_reason", ["id"]),
    ("job_dead_letter", "pk_job_dead_letter", ["id"]),
    ("job_outbox", "pk_job_outbox", ["id"]),
    ("reason_model", "pk_reason_model", ["id"]),
    ("segment", "pk_segment", ["id"]),
    ("team", "pk_team", ["id"]),
    ("webhook_endpoint", "pk_webhook_endpoint", ["id"]),
    ("customer", "pk_customer", ["id"]),
    ("member", "pk_member", ["id"]),
    ("api_token", "pk_api_token", ["id"]),
    ("conversation", "pk_conversation", ["id"]),
    ("decision_tree", "pk_decision_tree", ["id"]),
    ("feedback_idea", "pk_feedback_idea", ["id"]),
    ("import_batch", "pk_import_batch", ["id"]),
    ("pulse_schedule", "pk_pulse_schedule", ["id"]),
    ("reason_training", "pk_reason_training", ["id"]),
    ("relationship", "pk_relationship", ["id"]),
    ("response_framework", "pk_response_framework", ["id"]),
    ("coach_verdict", "pk_coach_verdict", ["id"]),
    ("decision_tree_version", "pk_decision_tree_version", ["id"]),
    ("feedback_idea_status", "pk_feedback_idea_status", ["id"]),
    ("interaction", "pk_interaction", ["id"]),
    ("perception_request", "pk_perception_request", ["id"]),
    ("pulse_round", "pk_pulse_round", ["id"]),
    ("relationship_score_history", "pk_relationship_score_history", ["id"]),
    ("relationship_stage_history", "pk_relationship_stage_history", ["id"]),
    ("response_framework_version", "pk_response_framework_version", ["id"]),
    ("segment_membership", "pk_segment_membership", ["id"]),
    ("task_action", "pk_task_action", ["id"]),
    ("commitment", "pk_commitment", ["id"]),
    ("feedback_suggestion", "pk_feedback_suggestion", ["id"]),
    ("framework_usage", "pk_framework_usage", ["id"]),
    ("interaction_raw", "pk_interaction_raw", ["interaction_id"]),
    ("message_analysis", "pk_message_analysis", ["interaction_id", "analyser"]),
    ("message_embedding", "pk_message_embedding", ["interaction_id"]),
    ("message_reason", "pk_message_reason", ["id"]),
    ("perception_answer", "pk_perception_answer", ["id"]),
    ("pulse_participation", "pk_pulse_participation", ["id"]),
    ("pulse_tally", "pk_pulse_tally", ["id"]),
    ("reason_example", "pk_reason_example", ["id"]),
    ("reply_review", "pk_reply_review", ["interaction_id"]),
    ("tree_run", "pk_tree_run", ["id"]),
    ("feedback_loop_draft", "pk_feedback_loop_draft", ["id"]),
    ("tree_run_step", "pk_tree_run_step", ["id"]),
    ("feedback_delivery", "pk_feedback_delivery", ["id"]),
]
# (table, constraint before, columns before, constraint after): organisation_id is added last
UNIQUES = [
    (
        "api_token",
        "uq_api_token_token_hash",
        ["token_hash"],
        "uq_api_token_token_hash_organisation_id",
    ),
    (
        "relationship",
        "uq_relationship_customer_id",
        ["customer_id"],
        "uq_relationship_customer_id_organisation_id",
    ),
    (
        "decision_tree_version",
        "uq_decision_tree_version_tree_id_number",
        ["tree_id", "number"],
        "uq_decision_tree_version_tree_id_number_organisation_id",
    ),
    (
        "perception_request",
        "uq_perception_request_token_hash",
        ["token_hash"],
        "uq_perception_request_token_hash_organisation_id",
    ),
    (
        "response_framework_version",
        "uq_response_framework_version_framework_id_number",
        ["framework_id", "number"],
        "uq_response_framework_version_number",
    ),
    (
        "message_reason",
        "uq_message_reason_interaction_id",
        ["interaction_id"],
        "uq_message_reason_interaction_id_organisation_id",
    ),
    (
        "perception_answer",
        "uq_perception_answer_request_id",
        ["request_id"],
        "uq_perception_answer_request_id_organisation_id",
    ),
    (
        "pulse_participation",
        "uq_pulse_participation_round_id_member_id",
        ["round_id", "member_id"],
        "uq_pulse_participation_round_id_member_id_organisation_id",
    ),
    (
        "feedback_loop_draft",
        "uq_feedback_loop_draft_idea_id_customer_id_outcome",
        ["idea_id", "customer_id", "outcome"],
        "uq_feedback_loop_draft_outcome",
    ),
    (
        "tree_run_step",
        "uq_tree_run_step_run_id_position",
        ["run_id", "position"],
        "uq_tree_run_step_run_id_position_organisation_id",
    ),
]


def _on_delete(column: str, action: str | None) -> str | None:
    return f"SET NULL ({column})" if action == "SET NULL" else action


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name, _column, _target, _action in FOREIGN_KEYS:
        op.drop_constraint(name, table, type_="foreignkey")
    for table, name, columns in PRIMARY_KEYS:
        op.drop_constraint(name, table, type_="primary")
        op.create_primary_key(name, table, [*columns, ORG])
    for table, before, columns, after in UNIQUES:
        op.drop_constraint(before, table, type_="unique")
        op.create_unique_constraint(after, table, [*columns, ORG])
    op.drop_index("ux_segment_membership_current", table_name="segment_membership")
    op.create_index(
        "ux_segment_membership_current",
        "segment_membership",
        ["relationship_id", ORG],
        unique=True,
        postgresql_where="left_at IS NULL",
    )
    for table, name, column, target, action in FOREIGN_KEYS:
        op.create_foreign_key(
            name,
            table,
            target,
            [column, ORG],
            ["id", ORG],
            ondelete=_on_delete(column, action),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name, _column, _target, _action in FOREIGN_KEYS:
        op.drop_constraint(name, table, type_="foreignkey")
    op.drop_index("ux_segment_membership_current", table_name="segment_membership")
    op.create_index(
        "ux_segment_membership_current",
        "segment_membership",
        ["relationship_id"],
        unique=True,
        postgresql_where="left_at IS NULL",
    )
    for table, before, columns, after in UNIQUES:
        op.drop_constraint(after, table, type_="unique")
        op.create_unique_constraint(before, table, columns)
    for table, name, columns in PRIMARY_KEYS:
        op.drop_constraint(name, table, type_="primary")
        op.create_primary_key(name, table, columns)
    for table, name, column, target, action in FOREIGN_KEYS:
        op.create_foreign_key(name, table, target, [column], ["id"], ondelete=action)
