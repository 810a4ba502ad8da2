"""A cap on shift-type under-cover: a search told to find a roster short of fewer agents.

Where every roster is short of cover, the weight of under-cover (100 points an agent on the
Curtois instances, against 1 for over-cover and 1–3 for a request) makes the number of
missing agents most of the objective, and the rosters one move apart all miss as many. On
Curtois Instance 16 every roster of the column step missed 32 agents, all on weekends (each
of 20 agents may work 4 of its 8 weekends: 160 weekend shifts against a demand of 191, so 31
is the least), and the narrowed whole model ran 100 s on 3,322 points without finding one that
misses 31. With its under-cover capped at 31 agents, CP-SAT's full search found 3,251 points
in 33 s and 3,229 at 35 s (a scratch stage from a root diving once; 3,225 is the best known).
It is luck, not a proof: from the step's own dive (3,323 points) the capped model found a
roster in 14, 23 and 48 s with seeds 2, 0 and 1 (scratch), and in single 120-s solves
(``sunshift bench curtois 16 --time-limit 120 --seed S``) seed 0 ended at 3,227 (3,322 in a
full run) and seed 1 found none in its 51 s (nor in 71 s at a 0.7 share) and ended at 3,322,
as before.

On Instances 7, 8, 13, 15 and 19 too the LP is short of fewer agents than the step's roster.
On 7, 8, 15 and 19 the capped model found a roster in 0.2–11 s (the search then goes on from
it when it costs less than the step's roster), on 13 none in 13–15 s. Seed 1: Instance 8
1,306 (best known 1,300; 1,395 before the change, the same machine and day), 13 1,565 (1,560),
15 4,037, 19 3,288; on 5 and 6 the LP is short of as many, and nothing changes. On 13, whose
root does not converge, the search only costs time: seed 0 gave 1,661 against 1,357 before.

Two variants left out (scratch, single 120-s runs with a stage trace, seed 0, idle machine).
Capping at the LP's own shortfall (12 agents on Instance 8, whose LP is 1,297) found nothing
in 24 s. A feasibility-first search (no objective, the first roster under the cap, then one
agent fewer, and so on) found a roster of 8 missing 13 agents in 0.4 s (1,419 points) where
the capped objective search had found none in 25 s; but the solve still ended at 1,404
(1,403 without the change), and from a captured state the narrowed search ran 40 s from that
roster to 1,404 whether the cap was kept or not. On 15 it ended at 4,147 against 4,052.

A third, tried on f87d6b7 and left out: on the clock, the plain narrowed search first, the capped
one only once it had gone 5 s without a better roster (from the stalled roster), then plain again.
On 13 the capped search had found nothing in 14.2 s while the plain search after it took the dive's
roster from 4,772 to 2,815 points in 13 s (a scratch trace, seed 1), but the time it freed showed no
gain: single 120-s runs of 13 on one machine within an hour (seed 0 in the paired full runs, seeds 1
and 2 by a scratch script making the bench's ``solve`` call), before → variant, seeds 0 / 1 / 2:
2,449 / 2,967 / 2,216 → 2,502 / 2,549 / 2,650. On 12 the stalled roster was short of 41 agents, one
more than the LP, and the cap then asked for the LP's own 40, which took 7–12 s to miss or barely
beat, where the dive's roster (43 short) had been capped at 42 and beaten in 1.6 s; 12 ended at
4,140 against 4,052 in a full run, 4,062–4,066 against 4,058 in traces.
"""

from __future__ import annotations

from scheduler.model.builder import BuiltModel
from scheduler.model.rules.requests import day_index
from scheduler.model.variables import sum_of


def cap_type_shortfall(built: BuiltModel, cap: float) -> None:
    """Constrain ``built`` to rosters whose shift-type under-cover costs at most ``cap`` points
    (each row's missing agents times its under weight)."""
    ctx = built.ctx
    problem, model = ctx.problem, ctx.model
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    terms = []
    for r, row in enumerate(problem.scenario.shift_demand):
        if not row.under_weight or row.required <= 0:
            continue
        key = (types[row.shift_type], day_index(ctx, row.date))
        staffed = sum_of(ctx.vars.literal(i) for i in problem.by_type_day.get(key, []))
        missing = model.new_int_var(0, row.required, f"capped_under[{r}]")
        model.add(missing >= row.required - staffed)
        terms.append(row.under_weight * missing)
    model.add(sum_of(terms) <= int(cap))
