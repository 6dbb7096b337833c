from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """A unit of work. A lower priority number is more urgent: priority 1 comes before priority 5."""

    name: str
    priority: int
