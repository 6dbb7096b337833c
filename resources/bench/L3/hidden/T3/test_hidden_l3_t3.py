from pqueue.queue import PriorityQueue


def test_fifo_within_a_priority():
    queue = PriorityQueue()
    for name in ["d", "c", "b", "a"]:
        queue.push(name, 1)
    assert [queue.pop() for _ in range(4)] == ["d", "c", "b", "a"]


def test_ties_and_priorities_mixed():
    queue = PriorityQueue()
    queue.push("low-1", 5)
    queue.push("high-1", 1)
    queue.push("low-2", 5)
    queue.push("high-2", 1)
    assert [queue.pop() for _ in range(4)] == ["high-1", "high-2", "low-1", "low-2"]


def test_items_need_not_be_comparable():
    queue = PriorityQueue()
    first, second = {"id": 1}, {"id": 2}
    queue.push(first, 3)
    queue.push(second, 3)
    assert queue.pop() is first
    assert queue.pop() is second


def test_objects_without_ordering():
    class Job:
        pass

    jobs = [Job(), Job(), Job()]
    queue = PriorityQueue()
    for job in jobs:
        queue.push(job, 1)
    assert [queue.pop() for _ in range(3)] == jobs


def test_peek_sees_the_earliest_of_a_tie():
    queue = PriorityQueue()
    queue.push("b", 2)
    queue.push("a", 2)
    assert queue.peek() == "b"


def test_fifo_survives_interleaving():
    queue = PriorityQueue()
    queue.push("x1", 1)
    queue.push("x2", 1)
    assert queue.pop() == "x1"
    queue.push("x3", 1)
    assert [queue.pop(), queue.pop()] == ["x2", "x3"]
