"""What-if admission and read-back. The overlays are applied at admission, so a bad overlay is a
422 naming the variant and entry, and the job never starts."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.db.models import Solve, Team
from api.errors import FieldError, InvalidInput, NotFound
from api.jobs.supervisor import QUEUED
from api.settings import Settings
from api.solves import service as solves
from api.solves.repository import SolveRepository
from api.solves.schemas import SolveIn
from api.validation import field_errors
from api.whatif.schemas import VariantIn, WhatIfIn, WhatIfOut
from scheduler.domain import Scenario
from scheduler.whatif import OverlayError, Variant, apply, parse_overlay


def variants_of(base: Scenario, specs: list[VariantIn]) -> list[Variant]:
    """The variants of ``base``; InvalidInput lists every problem at ``body.variants[i]…``."""
    errors: list[FieldError] = []
    variants: list[Variant] = []
    for i, spec in enumerate(specs):
        where = f"body.variants[{i}]"
        try:
            overlays = [
                parse_overlay(document, f"{where}.overlays[{k}]")
                for k, document in enumerate(spec.overlays)
            ]
            variants.append(apply(base, overlays, name=spec.name or None))
        except OverlayError as error:
            errors += [FieldError(loc=f"{error.source}.{p.where}", message=p.message, item=p.item) for p in error.problems]
        except ValidationError as error:
            errors += field_errors(error, (where,))
    names = [v.name for v in variants]
    for i, name in enumerate(names):
        if name == "base" or names.index(name) != i:
            errors.append(FieldError(loc=f"body.variants[{i}].name", message=f"variant name '{name}' is taken; set name"))
    if errors:
        raise InvalidInput("the what-if variants are not valid", errors=errors)
    return variants


def submit(session: Session, team: Team, body: WhatIfIn, settings: Settings) -> WhatIfOut:
    params = solves.solve_params(body.params, settings)
    base = solves.build_scenario(
        session, team, SolveIn(forecast_id=body.forecast_id, what_if=True, label=body.label), settings
    )
    variants_of(base, body.variants)  # reject bad overlays now, not in the solver process
    job = solves.admit(session, team, settings, Solve(
        team_id=team.id, forecast_id=body.forecast_id, state=QUEUED, what_if=True, kind="whatif",
        label=body.label, scenario=base.model_dump(mode="json"), params=params.model_dump(mode="json"),
        variants=[{**v.model_dump(), "marginal": body.marginal} for v in body.variants],
    ))
    return _out(job, team)


def get(session: Session, team: Team, job_id: int) -> WhatIfOut:
    job = SolveRepository(session).get(team.id, job_id)
    if job is None or job.kind != "whatif":
        raise NotFound(f"what-if {job_id} not found")
    return _out(job, team)


def _out(job: Solve, team: Team) -> WhatIfOut:
    return WhatIfOut(**solves.solve_out(job, team.slug, None).model_dump(), result=job.result)
