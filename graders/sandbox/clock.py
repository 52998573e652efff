"""How long a call into the learner's process has taken, counted so that a busy machine costs nobody points.

A call's time limit is a limit on the computing time it used: the CPU time of the learner's process plus the
grader's CPU time in the reference functions it called back, since the call started. A call that waits
(sleeps, blocks) without computing is stopped once its wall-clock time reaches WALL_FACTOR times its limit.
On a quiet machine both come to the same as a wall-clock limit; on a loaded one (a batch on every core, other
learners' processes) a correct function is no longer stopped for time the machine gave to others.
"""
import os
import time

WALL_FACTOR = 4.0   # a call may last this many times its limit in wall-clock time, if it has not used the limit
POLL_SECONDS = 0.5  # how long to wait for a reply before looking at the computing time again
TICK = 1.0 / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid):
    """User plus system CPU time of process pid (all its threads), in seconds; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) * TICK  # utime, stime: fields 14 and 15 of proc(5)


class CallClock:
    """The computing time and wall-clock time of one call, against its limit in seconds."""

    def __init__(self, pid, limit, learner_start=None):
        self.pid, self.limit = pid, limit
        self.started = time.monotonic()
        # the process's CPU time when the call started: read now, or given (the end of the call before, when the
        # process went straight on to this one)
        self.learner_start = (process_cpu_seconds(pid) or 0.0) if learner_start is None else learner_start
        self.learner = 0.0     # the learner process's CPU time since the call started, when last read
        self.grader = 0.0      # the grader's CPU time in callbacks that ended
        self.callback = None   # thread_time() when the running callback started
        self.last_reading = None  # the process's CPU time when cpu() last read it (None: not read, or gone)

    def wall(self):
        """Wall-clock seconds since the call started."""
        return time.monotonic() - self.started

    def cpu(self):
        """Computing seconds since the call started: the learner's process and the grader's callbacks."""
        now = process_cpu_seconds(self.pid)
        if now is not None:
            self.learner = max(self.learner, now - self.learner_start)
        self.last_reading = now
        running = time.thread_time() - self.callback if self.callback is not None else 0.0
        return self.learner + self.grader + running

    def used(self):
        """The seconds the call is charged: its computing time, or its wall-clock time / WALL_FACTOR if more."""
        return max(self.cpu(), self.wall() / WALL_FACTOR)

    def expired(self):
        """Has the call used its limit?"""
        return self.wall() > self.limit and self.used() > self.limit

    def wait_seconds(self):
        """How long to wait for the process before asking expired() again (0 once it has expired)."""
        if self.wall() <= self.limit:
            return self.limit - self.wall() + 0.001  # before the limit in wall-clock time, nothing can have expired
        return 0.0 if self.expired() else min(POLL_SECONDS, self.limit - self.used() + 0.001)

    def begin_callback(self):
        """The grader starts running a reference function for the learner's code."""
        self.callback = time.thread_time()

    def end_callback(self):
        """The grader's reference function returned (or raised)."""
        if self.callback is not None:
            self.grader += time.thread_time() - self.callback
            self.callback = None


class Deadline:
    """A fixed wall-clock limit (seconds from now), for waits that are not calls: start-up, loading, stopping.
    With `last`, it ends no later than that other Deadline."""

    def __init__(self, seconds, last=None):
        self.end = time.monotonic() + seconds
        if last is not None:
            self.end = min(self.end, last.end)

    def wait_seconds(self):
        """Seconds left (0 once it has passed)."""
        return max(0.0, self.end - time.monotonic())
