"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:14:06.458827
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# Interactions are immutable: the database itself refuses UPDATE (DELETE stays possible for
# erasure and retention).
_SQLITE_IMMUTABLE = """
CREATE TRIGGER interaction_immutable BEFORE UPDATE ON interaction
BEGIN SELECT RAISE(ABORT, 'interactions are immutable'); END
"""
_PG_IMMUTABLE_FN = """
CREATE FUNCTION goodwill_interaction_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'interactions are immutable'; END $$ LANGUAGE plpgsql
"""
_PG_IMMUTABLE = """
CREATE TRIGGER interaction_immutable BEFORE UPDATE ON interaction
FOR EACH ROW EXECUTE FUNCTION goodwill_interaction_immutable()
"""


def _create_immutability_trigger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_IMMUTABLE_FN)
        op.execute(_PG_IMMUTABLE)
    else:
        op.execute(_SQLITE_IMMUTABLE)


def _drop_immutability_trigger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS interaction_immutable ON interaction")
        op.execute("DROP FUNCTION IF EXISTS goodwill_interaction_immutable()")
    else:
        op.execute("DROP TRIGGER IF EXISTS interaction_immutable")


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("email_domains", JSON, nullable=False),
        sa.Column("settings", JSON, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
    )
    op.create_table(
        "user_account",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "account",
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=True),
        sa.Column("attributes", JSON, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_account_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint(
            "organisation_id", "external_id", name=op.f("uq_account_organisation_id_external_id")
        ),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "team",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_team_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("organisation_id", "name", name=op.f("uq_team_organisation_id_name")),
    )
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "web_session",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("current_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["current_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_web_session_current_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_web_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_web_session_session_hash")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "webhook_endpoint",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret_salt", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_webhook_endpoint_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_endpoint_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "customer",
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("attributes", JSON, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_customer_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_customer_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint(
            "organisation_id", "email", name=op.f("uq_customer_organisation_id_email")
        ),
        sa.UniqueConstraint(
            "organisation_id", "external_id", name=op.f("uq_customer_organisation_id_external_id")
        ),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_customer_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_organisation_id_updated_at"),
            ["organisation_id", "updated_at"],
            unique=False,
        )

    op.create_table(
        "member",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_member_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_member_team_id_team"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint(
            "organisation_id", "user_id", name=op.f("uq_member_organisation_id_user_id")
        ),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "api_token",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_api_token_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_api_token_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_token_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "conversation",
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_conversation_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_conversation_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
        sa.UniqueConstraint(
            "organisation_id",
            "external_id",
            name=op.f("uq_conversation_organisation_id_external_id"),
        ),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_organisation_id_customer_id"),
            ["organisation_id", "customer_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_organisation_id_updated_at"),
            ["organisation_id", "updated_at"],
            unique=False,
        )

    op.create_table(
        "import_batch",
        sa.Column("source_name", sa.String(length=1000), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_import_batch_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_import_batch_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_import_batch_source_sha256"), ["source_sha256"], unique=False
        )

    op.create_table(
        "relationship",
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("owner_member_id", sa.Uuid(), nullable=True),
        sa.Column("segment", sa.String(length=100), nullable=True),
        sa.Column("stage", sa.String(length=30), nullable=True),
        sa.Column("phase", sa.String(length=30), nullable=True),
        sa.Column("health", sa.Double(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_interaction_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("interaction_count", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_relationship_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_relationship_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_relationship_owner_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_relationship_customer_id")),
    )
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relationship_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_relationship_organisation_id_owner_member_id"),
            ["organisation_id", "owner_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_relationship_organisation_id_updated_at"),
            ["organisation_id", "updated_at"],
            unique=False,
        )

    op.create_table(
        "interaction",
        sa.Column("external_id", sa.String(length=255), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("author_member_id", sa.Uuid(), nullable=True),
        sa.Column("author_name", sa.String(length=300), nullable=True),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("email_message_id", sa.String(length=998), nullable=True),
        sa.Column("attributes", JSON, nullable=True),
        sa.Column("import_batch_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_member_id"],
            ["member.id"],
            name=op.f("fk_interaction_author_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_interaction_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_interaction_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_interaction_import_batch_id_import_batch"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_interaction_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
        sa.UniqueConstraint(
            "organisation_id",
            "external_id",
            name=op.f("uq_interaction_organisation_id_external_id"),
        ),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_organisation_id_conversation_id_occurred_at"),
            ["organisation_id", "conversation_id", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_organisation_id_created_at"),
            ["organisation_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_organisation_id_customer_id_occurred_at"),
            ["organisation_id", "customer_id", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_organisation_id_email_message_id"),
            ["organisation_id", "email_message_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_organisation_id_occurred_at"),
            ["organisation_id", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "interaction_raw",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_interaction_raw_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_interaction_raw_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_interaction_raw")),
    )
    with op.batch_alter_table("interaction_raw", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_raw_organisation_id"), ["organisation_id"], unique=False
        )

    _create_immutability_trigger()


def downgrade() -> None:
    _drop_immutability_trigger()
    with op.batch_alter_table("interaction_raw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_raw_organisation_id"))

    op.drop_table("interaction_raw")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_organisation_id_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_interaction_organisation_id_email_message_id"))
        batch_op.drop_index(batch_op.f("ix_interaction_organisation_id_customer_id_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_interaction_organisation_id_created_at"))
        batch_op.drop_index(
            batch_op.f("ix_interaction_organisation_id_conversation_id_occurred_at")
        )
        batch_op.drop_index(batch_op.f("ix_interaction_organisation_id"))

    op.drop_table("interaction")
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relationship_organisation_id_updated_at"))
        batch_op.drop_index(batch_op.f("ix_relationship_organisation_id_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_relationship_organisation_id"))

    op.drop_table("relationship")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_source_sha256"))
        batch_op.drop_index(batch_op.f("ix_import_batch_organisation_id"))

    op.drop_table("import_batch")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_organisation_id_updated_at"))
        batch_op.drop_index(batch_op.f("ix_conversation_organisation_id_customer_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_organisation_id"))

    op.drop_table("conversation")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_organisation_id"))

    op.drop_table("api_token")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_organisation_id"))

    op.drop_table("member")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_organisation_id_updated_at"))
        batch_op.drop_index(batch_op.f("ix_customer_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_customer_account_id"))

    op.drop_table("customer")
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_endpoint_organisation_id"))

    op.drop_table("webhook_endpoint")
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))

    op.drop_table("web_session")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_organisation_id"))

    op.drop_table("team")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_organisation_id"))

    op.drop_table("account")
    op.drop_table("user_account")
    op.drop_table("organisation")
