"""Runs of working days and days off as one automaton per agent: the same rules as
:mod:`~scheduler.model.rules.runs` and :mod:`~scheduler.model.rules.consecutive_days`, stated so
CP-SAT propagates them as a whole.

Those modules forbid each too-short or too-long run with its own linear row, which is exact but
weak: on tight year-long contracts (Curtois Instance 20: 115–117 shifts in 182 days, runs of 2–5
working days, at least 2 days off, half the weekends off) CP-SAT found no legal plan for one agent
in 5 units of work; with this automaton beside the rows, every agent solves to optimality in about
one. On whole-team models, though, it slowed CP-SAT down (Curtois Instance 12 at 60 s: 8778 points
with it, 5506 without), so it is built only where asked for (``BuildContext.run_automata``: the
single-agent plans of :mod:`scheduler.solve.repair`). The automaton reads each day as worked (1) or not (0); its states are "in a working run of k
days" and "in a run of k days off" (k capped at the shortest allowed off run), each flagged when
the run began at the horizon start, where the shortest-run rules do not apply. Every state is
final: a run still going at the horizon end may continue past it.
"""

from __future__ import annotations

from functools import cache

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr

KEY = "run_pattern"
LABEL = "runs of working days and days off (as one pattern)"

Transition = tuple[int, int, int]
_State = tuple[str, int, bool]


def build(ctx: BuildContext) -> Expr:
    if not ctx.run_automata or ctx.explain:
        return 0  # redundant with the rows (and CP-SAT cannot guard an automaton)
    days = ctx.problem.scenario.horizon.days
    for plan in ctx.vars.agents_in_play():
        contract = plan.contract
        shortest_work = contract.min_consecutive_days or 1
        shortest_off = contract.min_consecutive_days_off or 1
        if shortest_work <= 1 and shortest_off <= 1:
            continue  # the window rows alone are already the whole rule
        if not ctx.vars.has_free_day(plan.index, range(days)):
            continue
        longest = max(1, min(contract.max_consecutive_days, days))
        transitions, finals = run_automaton(longest, shortest_work, shortest_off)
        worked = [_day_literal(ctx, plan.index, day) for day in range(days)]
        ctx.model.add_automaton(worked, 0, finals, transitions)
    return 0


def _day_literal(ctx: BuildContext, agent: int, day: int) -> Expr:
    works = ctx.vars.works(agent, day)
    if isinstance(works, int):
        return works
    literal = ctx.model.new_bool_var(f"works[{ctx.problem.agents[agent].agent.id},{day}]")
    ctx.model.add(literal == works)
    return literal


@cache
def run_automaton(
    longest_work: int, shortest_work: int, shortest_off: int
) -> tuple[list[Transition], list[int]]:
    """Transitions ``(state, worked, next state)`` and final states; state 0 is the start.

    Runs of exactly 2 working days, days off of any length: the start's working run (state 2)
    may end after one day, a later one (state 3) may not.

    >>> transitions, finals = run_automaton(2, 2, 1)
    >>> sorted(transitions)  # doctest: +NORMALIZE_WHITESPACE
    [(0, 0, 1), (0, 1, 2), (1, 0, 1), (1, 1, 3), (2, 0, 5), (2, 1, 4), (3, 1, 6), (4, 0, 5),
     (5, 0, 5), (5, 1, 3), (6, 0, 5)]
    """
    ids: dict[_State, int] = {}
    transitions: list[Transition] = []

    def state_id(state: _State) -> int:
        if state not in ids:
            ids[state] = len(ids) + 1
        return ids[state]

    def successors(state: _State) -> list[tuple[int, _State]]:
        kind, length, from_start = state
        moves: list[tuple[int, _State]] = []
        if kind == "work":
            if length < longest_work:
                moves.append((1, ("work", length + 1, from_start)))
            if from_start or length >= shortest_work:
                moves.append((0, ("off", 1, False)))
        else:
            moves.append((0, ("off", min(length + 1, shortest_off), from_start)))
            if from_start or length >= shortest_off:
                moves.append((1, ("work", 1, False)))
        return moves

    first: list[tuple[int, _State]] = [(0, ("off", 1, True)), (1, ("work", 1, True))]
    pending: list[_State] = []
    for worked, state in first:
        transitions.append((0, worked, state_id(state)))
        pending.append(state)
    seen: set[_State] = set()
    while pending:
        state = pending.pop(0)
        if state in seen:
            continue
        seen.add(state)
        for worked, following in successors(state):
            transitions.append((state_id(state), worked, state_id(following)))
            pending.append(following)
    return transitions, sorted(ids.values())
