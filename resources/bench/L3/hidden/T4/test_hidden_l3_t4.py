import pytest

from pqueue.task import Task
from pqueue.task_queue import TaskQueue


def make(*tasks):
    queue = TaskQueue()
    for task in tasks:
        queue.add(task)
    return queue


def test_pop_order_by_priority_then_insertion():
    queue = make(Task("c", 3), Task("a1", 1), Task("b", 2), Task("a2", 1))
    assert [queue.pop().name for _ in range(4)] == ["a1", "a2", "b", "c"]


def test_pop_returns_the_task_object():
    task = Task("t", 1)
    assert make(task).pop() is task


def test_pop_empty_raises_index_error():
    queue = make(Task("a", 1))
    queue.pop()
    with pytest.raises(IndexError):
        queue.pop()


def test_duplicate_name_refused_even_with_another_priority():
    queue = make(Task("a", 1))
    with pytest.raises(ValueError):
        queue.add(Task("a", 9))
    assert len(queue) == 1


def test_name_can_be_reused_after_pop():
    queue = make(Task("a", 1))
    queue.pop()
    queue.add(Task("a", 2))
    assert len(queue) == 1


def test_remove_returns_the_task_and_keeps_the_rest_in_order():
    queue = make(Task("a", 2), Task("b", 1), Task("c", 2))
    assert queue.remove("a") == Task("a", 2)
    assert [task.name for task in queue.list_by_priority()] == ["b", "c"]


def test_remove_missing_raises_key_error():
    with pytest.raises(KeyError):
        make(Task("a", 1)).remove("nope")


def test_list_by_priority_does_not_remove():
    queue = make(Task("b", 2), Task("a", 1))
    assert queue.list_by_priority() == [Task("a", 1), Task("b", 2)]
    assert len(queue) == 2
    assert queue.pop() == Task("a", 1)


def test_list_by_priority_returns_a_list():
    assert make().list_by_priority() == []
    assert isinstance(make(Task("a", 1)).list_by_priority(), list)
