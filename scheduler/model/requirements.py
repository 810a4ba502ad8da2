"""Required agents per queue and interval: headcount as given, or Erlang C / workload."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scheduler.domain import Scenario
from scheduler.staffing import required_headcount

FloatArray = npt.NDArray[np.float64]


def required_agents(scenario: Scenario) -> FloatArray:
    """Array ``[queue, interval]`` of required agents (email: agent-equivalents of arriving work).

    Live queues (phone, chat) get the Erlang C headcount grossed up for shrinkage; email gets its
    workload, which the model may work off anywhere inside the queue's response window.
    """
    horizon = scenario.horizon
    queue_index = {q.id: i for i, q in enumerate(scenario.queues)}
    n_intervals = horizon.interval_count
    shape = (len(scenario.queues), n_intervals)
    required = np.zeros(shape)
    volume = np.zeros(shape)
    aht = np.ones(shape)
    forecast = np.zeros(len(scenario.queues), dtype=np.bool_)
    for row in scenario.demand:
        q = queue_index[row.queue]
        i = horizon.interval_index(row.interval_start)
        assert i is not None, "validated scenarios only carry on-grid demand"
        if row.required is not None:
            required[q, i] = row.required
        else:
            forecast[q] = True
            volume[q, i] = row.volume or 0.0
            aht[q, i] = row.aht_seconds or 1.0
    for q, queue in enumerate(scenario.queues):
        if not forecast[q]:
            continue
        required[q] = required_headcount(
            channel=queue.channel,
            volume=volume[q],
            aht_seconds=aht[q],
            interval_minutes=horizon.interval_minutes,
            target_sl=queue.service_target.service_level,
            answer_seconds=queue.service_target.answer_seconds,
            max_occupancy=queue.max_occupancy,
            shrinkage=queue.shrinkage,
            concurrency=queue.concurrency,
        )
    return required
