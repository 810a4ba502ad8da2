"""what-if comparison jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("solves") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="solve"))
        batch.add_column(sa.Column("variants", JSON_DOC, nullable=True))
        batch.add_column(sa.Column("result", JSON_DOC, nullable=True))
    # a what-if job stores one (never publishable) roster per variant
    with op.batch_alter_table("rosters") as batch:
        batch.drop_constraint("uq_rosters_solve_id", type_="unique")
        batch.create_index("ix_rosters_solve_id", ["solve_id"])


def downgrade() -> None:
    with op.batch_alter_table("rosters") as batch:
        batch.drop_index("ix_rosters_solve_id")
        batch.create_unique_constraint("uq_rosters_solve_id", ["solve_id"])
    with op.batch_alter_table("solves") as batch:
        batch.drop_column("result")
        batch.drop_column("variants")
        batch.drop_column("kind")
