"""A team's master data: queues, contracts and agents, each stored as its validated domain model."""
