"""Forecasts: demand per queue and interval, with the staffing the core's Erlang C derives."""
