"""publishing and calendar feeds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _team_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["team_id"], ["teams.id"], name=op.f(f"fk_{table}_team_id_teams"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        _team_fk("publications"),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_publications")),
    )
    op.create_table(
        "publish_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=True),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        _team_fk("publish_audit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_audit")),
    )
    op.create_index(op.f("ix_publish_audit_team_id"), "publish_audit", ["team_id"])
    op.create_table(
        "published_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("agent", sa.String(length=128), nullable=False),
        sa.Column("local_date", sa.String(length=10), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=128), nullable=False),
        sa.Column("queues", sa.String(length=1000), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", JSON_DOC, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("revised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        _team_fk("published_shifts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_shifts")),
        sa.UniqueConstraint(
            "team_id", "agent", "local_date", "ordinal",
            name=op.f("uq_published_shifts_team_id_agent_local_date_ordinal"),
        ),
    )
    op.create_index("ix_published_shifts_team_end", "published_shifts", ["team_id", "end"])
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by", sa.String(length=32), nullable=True),
        _team_fk("feed_tokens"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("token_id", name=op.f("uq_feed_tokens_token_id")),
    )
    op.create_index(op.f("ix_feed_tokens_team_id"), "feed_tokens", ["team_id"])
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secrets")),
    )


def downgrade() -> None:
    op.drop_table("server_secrets")
    op.drop_index(op.f("ix_feed_tokens_team_id"), table_name="feed_tokens")
    op.drop_table("feed_tokens")
    op.drop_index("ix_published_shifts_team_end", table_name="published_shifts")
    op.drop_table("published_shifts")
    op.drop_index(op.f("ix_publish_audit_team_id"), table_name="publish_audit")
    op.drop_table("publish_audit")
    op.drop_table("publications")
