"""Render processes: chunks laid out one after another, written side by side.

Where a chunk starts depends on where the one before it ended (its last
page's rows are carried over, records.printing.render), so layouts cannot
run at the same time. Writing a laid-out chunk (painting, font subsets,
the file) is about a quarter of the work and needs nothing from the next
chunk: each process reports its layout as soon as it has it and writes
while another process lays out the next chunk. Two processes keep both
cores of a small server busy. Once the total is known, they render the
page-number stamps side by side.

The processes are started with "spawn": a fresh interpreter that imports
this package and WeasyPrint, never Django's app registry, database
connections or the caller's threads."""
import gc
import multiprocessing
import traceback
from multiprocessing.connection import wait

from records.printing.render import StampJob, lay_out, write, write_stamps


class RenderFailed(RuntimeError):
    """A render process failed or stopped."""


def _serve(connection):
    """A render process: jobs in, ("laid out", result) for a chunk and
    ("written", path), or ("failed", traceback), out, until None or until
    the parent is gone."""
    while True:
        try:
            job = connection.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        try:
            if isinstance(job, StampJob):
                write_stamps(job)
                gc.collect()
            else:
                document, kept, laid_out = lay_out(job)
                connection.send(("laid out", laid_out))
                write(document, kept, job.path)
                del document, kept
                gc.collect()
            connection.send(("written", job.path))
        except Exception:  # noqa: BLE001 - reported to the parent, which raises
            connection.send(("failed", traceback.format_exc()))


class RenderWorkers:
    """`count` render processes taking chunks in turn."""

    def __init__(self, count):
        context = multiprocessing.get_context("spawn")
        self._connections = []
        self._processes = []
        self._turn = 0
        self._writing = 0
        try:
            for _ in range(count):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(theirs,), daemon=True, name="register-render")
                process.start()
                theirs.close()
                self._connections.append(ours)
                self._processes.append(process)
        except BaseException:
            self.close()
            raise

    def stamp(self, job):
        """Hand a StampJob to the next process (finish() waits for it)."""
        self.start(job)

    def start(self, job):
        """Hand `job` to the next process."""
        connection = self._connections[self._turn % len(self._connections)]
        self._turn += 1
        connection.send(job)
        self._writing += 1

    def result(self):
        """The started job's ChunkLaidOut, once laid out (its process goes on
        writing it)."""
        while True:
            kind, payload = self._receive()
            if kind == "laid out":
                return payload

    def finish(self):
        """Wait until every chunk is written."""
        while self._writing:
            self._receive()

    def _receive(self):
        ready = wait(self._connections)
        connection = ready[0]
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):
            raise RenderFailed("A register render process stopped unexpectedly.") from None
        if kind == "failed":
            raise RenderFailed(f"A register render process failed:\n{payload}")
        if kind == "written":
            self._writing -= 1
        return kind, payload

    def close(self):
        for connection in self._connections:
            try:
                connection.send(None)
            except OSError:
                pass
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        for connection in self._connections:
            connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False
