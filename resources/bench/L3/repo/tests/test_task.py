import dataclasses

import pytest

from pqueue.task import Task


def test_fields():
    task = Task("write report", 2)
    assert (task.name, task.priority) == ("write report", 2)


def test_tasks_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Task("a", 1).priority = 3
