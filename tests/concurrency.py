"""Running service calls at the same moment, each on its own thread and
database connection, for the tests of races (unique numbers, one loan per
record, one signature per list). Needs @pytest.mark.django_db(transaction=True):
the threads' connections see only committed rows."""
import threading

from django.db import connection
from django.utils import translation


class Outcomes:
    """What the racing calls did: the values of those that went through,
    the messages of those refused, and any other exception (a test asserts
    `errors == []`)."""

    def __init__(self):
        self.done, self.refusals, self.errors = [], [], []
        self._lock = threading.Lock()

    def attempt(self, call, *, refusal):
        """Run `call()`; a `refusal` exception is an expected outcome."""
        try:
            value = call()
        except refusal as exc:
            with self._lock:
                self.refusals.append(str(exc))
        else:
            with self._lock:
                self.done.append(value)

    def failed(self, exc):
        with self._lock:
            self.errors.append(exc)


def at_once(workers):
    """Start every `worker(outcomes)` on its own thread, release them
    together, wait for all, and return the Outcomes. Refusals are read in
    English."""
    outcomes = Outcomes()
    start = threading.Barrier(len(workers))

    def run(worker):
        translation.activate("en")
        try:
            start.wait()
            worker(outcomes)
        except Exception as exc:  # collected; the test asserts errors == []
            outcomes.failed(exc)
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
