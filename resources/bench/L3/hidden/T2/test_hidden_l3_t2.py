import pytest

from pqueue.queue import EmptyQueueError, PriorityQueue


def test_empty_queue_error_is_an_index_error():
    assert issubclass(EmptyQueueError, IndexError)


def test_pop_empty_raises_with_message():
    with pytest.raises(EmptyQueueError, match="^priority queue is empty$"):
        PriorityQueue().pop()


def test_peek_empty_raises_with_message():
    with pytest.raises(EmptyQueueError, match="^priority queue is empty$"):
        PriorityQueue().peek()


def test_pop_after_draining_raises():
    queue = PriorityQueue()
    queue.push("a", 1)
    queue.pop()
    with pytest.raises(IndexError):
        queue.pop()


def test_peek_does_not_remove():
    queue = PriorityQueue()
    queue.push("b", 2)
    queue.push("a", 1)
    assert queue.peek() == "a"
    assert queue.peek() == "a"
    assert len(queue) == 2
    assert queue.pop() == "a"
    assert queue.peek() == "b"


def test_is_empty_follows_the_contents():
    queue = PriorityQueue()
    assert queue.is_empty()
    queue.push("a", 1)
    assert not queue.is_empty()
    queue.pop()
    assert queue.is_empty()
