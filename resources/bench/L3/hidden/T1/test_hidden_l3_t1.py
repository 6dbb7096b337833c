from pqueue.queue import PriorityQueue


def test_single_item():
    queue = PriorityQueue()
    queue.push("only", 7)
    assert queue.pop() == "only"
    assert len(queue) == 0


def test_order_by_priority_number():
    queue = PriorityQueue()
    for item, priority in [("e", 5), ("a", 1), ("d", 4), ("b", 2), ("c", 3)]:
        queue.push(item, priority)
    assert [queue.pop() for _ in range(5)] == ["a", "b", "c", "d", "e"]


def test_negative_and_zero_priorities():
    queue = PriorityQueue()
    queue.push("zero", 0)
    queue.push("minus", -1)
    queue.push("one", 1)
    assert [queue.pop() for _ in range(3)] == ["minus", "zero", "one"]


def test_interleaved_push_and_pop():
    queue = PriorityQueue()
    queue.push("b", 2)
    queue.push("c", 3)
    assert queue.pop() == "b"
    queue.push("a", 1)
    assert queue.pop() == "a"
    assert queue.pop() == "c"


def test_len_tracks_pushes_and_pops():
    queue = PriorityQueue()
    assert len(queue) == 0
    queue.push("x", 1)
    queue.push("y", 2)
    assert len(queue) == 2
    queue.pop()
    assert len(queue) == 1


def test_queues_are_independent():
    first, second = PriorityQueue(), PriorityQueue()
    first.push("x", 1)
    assert len(second) == 0
