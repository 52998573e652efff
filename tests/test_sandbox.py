"""The sandbox's boundary: plain data only, every reply checked, every wait bounded."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from conftest import DINO
from graders.bounds import NUMBER, Array, accepting
from graders.context import Context, LearnerCodeError
from graders.sandbox import clock, codec, syscalls
from graders.sandbox.clock import WALL_FACTOR
from graders.sandbox.session import Limits, Sandbox
from graders.submission import load_submission

LIMITS = Limits(call_seconds=2, load_seconds=5, memory_bytes=512 * 2**20)
FIND_CHANNEL = """
import gc
def channel():
    return next(thing for thing in gc.get_objects() if type(thing).__name__ == "Channel")
"""


def sandbox(source, limits=LIMITS):
    """A sandbox running one cell of source."""
    return Sandbox([{"id": "submission", "source": source}], {}, limits)


def test_plain_values_cross_unchanged():
    """Do None, bools, ints, floats (NaN and inf too), strings, containers and arrays round-trip exactly?"""
    value = [None, True, 3, 10**40, 0.1, float("inf"), "é\n", (1, 2), {"a": np.arange(6.0).reshape(2, 3)},
             np.float64(2.5), np.int32(7), {(1, "x"): 1}]
    back = codec.from_wire(json.loads(json.dumps(codec.to_wire(value))))
    assert back[:10] == value[:8] + [back[8], np.float64(2.5)] and type(back[9]) is np.float64
    assert np.array_equal(back[8]["a"], value[8]["a"]) and type(back[8]["a"]) is np.ndarray
    assert type(back[10]) is np.int32 and back[11] == {(1, "x"): 1}
    assert np.isnan(codec.from_wire(codec.to_wire(float("nan"))))


@pytest.mark.parametrize("value", [np.zeros(3).view(np.matrix), type("Liar", (float,), {})(1.0),
                                   np.array([object()]), (x for x in []), {1: 2}.keys()])
def test_non_plain_values_become_opaque(value):
    """Does a subclass, an object array, a generator or a view become a marker that equals nothing?"""
    back = codec.from_wire(codec.to_wire(value))
    assert isinstance(back, codec.Unsupported) and back != back and not (back == value)


@pytest.mark.parametrize("node", [["f", "not a number"], ["i", "12x"], ["a", "<f8", [2], "%%%"], ["a", "|O", [1], ""],
                                  ["a", "<f8", [3], "AAAAAAAAAAA="], ["q"], "n", ["l", "x"], ["d", [[["n"]]]],
                                  ["g", "<f8", ""], ["a", "<f8", [-1], ""],
                                  ["L", [1, 2.5]], ["L", [{"a": 1}]], ["T", "x"], ["D", {"a": 0.5}], ["D", [["a", 1]]],
                                  ["E", "<f8", {"a": [2]}, "AAAAAAAAAAA="], ["E", "<f8", {"a": [1]}, "A" * 22 + "=="],
                                  ["E", "|O", {"a": [1]}, "AAAAAAAAAAA="], ["E", "<f8", {"a": [-1]}, ""],
                                  ["E", "<f8", [[1]], "AAAAAAAAAAA="], ["E", "<f8", {"a": "1"}, "AAAAAAAAAAA="]])
def test_malformed_values_are_refused(node):
    """Is every malformed wire value a CodecError (never another exception, never a value)?"""
    with pytest.raises(codec.CodecError):
        codec.from_wire(node)


def test_compact_forms_carry_what_the_tagged_forms_carry():
    """Do lists, tuples and str-keyed dicts (of plain items, and of arrays of one dtype) sent in their compact forms
    come back as the tagged forms would bring them, ints beyond 64 bits and arrays of other dtypes included?"""
    arrays = {"Wax": np.arange(6.0).reshape(2, 3).T, "b": np.zeros((2, 0)), "s": np.full((), 2.0)}
    value = [[None, 1, -2**63 + 1, 2**63, True, "é"], (1, "x", None), {"a": 1, "b": [2.5, None]}, arrays,
             {"i": np.arange(3), "f": np.ones(2)}]
    wire = codec.to_wire(value)
    assert [node[0] for node in wire[1]] == ["L", "T", "D", "E", "D"]
    back = codec.from_wire(json.loads(json.dumps(wire)))
    assert back[:3] == value[:3] and type(back[1]) is tuple and type(back[0][3]) is int
    for got, want in ((back[3], arrays), (back[4], value[4])):
        assert list(got) == list(want) and all(
            type(got[k]) is np.ndarray and got[k].dtype == want[k].dtype and got[k].shape == want[k].shape
            and np.array_equal(got[k], want[k]) and got[k].flags.writeable for k in want)


def test_callback_replies_carry_back_only_arrays_to_the_same_effect():
    """Does writing back a callback's reply (the arrays only) change the learner's arguments exactly as writing back
    every argument did, in lists and dicts, a replaced array and one of another shape left alone?"""
    def arguments():
        return [[None, 1], np.zeros(2), {"W": np.zeros((2, 2)), "n": 3, "d": {"v": np.zeros(1)}}, (np.zeros(1),)]
    after = arguments()
    after[1] += 1
    after[2]["W"] = np.ones((2, 2))  # replaced, not written into
    after[2]["d"]["v"] = np.zeros(4)  # another shape
    after[3][0][0] = 5  # inside a tuple: write_back does not look there
    everything, arrays_only = arguments(), arguments()
    codec.write_back(everything, codec.from_wire(codec.to_wire(after)))
    codec.write_back(arrays_only, codec.from_wire(json.loads(json.dumps(codec.arrays_to_wire(after)))))
    assert repr(arrays_only) == repr(everything)
    assert everything[1].tolist() == [1, 1] and everything[2]["W"].tolist() == [[1, 1], [1, 1]]


def test_unhashable_keys_keep_a_readable_stand_in():
    """Does a dict key that cannot be hashed (a list inside a tuple) come back as its repr?"""
    back = codec.from_wire(["d", [[["t", [["l", []]]], ["n"]]]])
    assert back == {"([],)": None}


def test_deeply_nested_json_is_refused():
    """Is a reply nested a million levels deep refused as malformed instead of crashing the decoder?"""
    with pytest.raises(codec.CodecError):
        codec.decode_body(b"[" * 1_000_000 + b"]" * 1_000_000)


def test_a_process_that_stops_reading_cannot_hang_the_grader():
    """When the learner's code asks for a callback whose answer fills the pipe and never reads it, is it a timeout?"""
    source = FIND_CHANNEL + """
def hog():
    channel().send({"op": "callback", "name": "big", "args": ["l", []], "kwargs": ["d", []]})
    while True:
        pass
"""
    with sandbox(source) as box:
        outcome = box.call("hog", inject={"big": lambda: np.zeros(10**6)})
        assert outcome.status == "timeout"
        assert box.call("hog", inject={}).status == "timeout"  # a fresh process, the same limit


def test_a_flood_of_callbacks_ends_at_the_time_limit():
    """Does a learner process that keeps asking for callbacks get stopped at the call's time limit?"""
    source = FIND_CHANNEL + """
def flood():
    while True:
        channel().send({"op": "callback", "name": "clip", "args": ["l", []], "kwargs": ["d", []]})
"""
    with sandbox(source) as box:
        assert box.call("flood", inject={"clip": lambda: None}).status == "timeout"


def test_callbacks_only_run_what_the_grader_supplies_with_bounded_arguments():
    """Are callbacks to functions not injected, or with oversized arguments, refused with a message?"""
    source = """
import numpy as np
def ask(size):
    try:
        return clip(np.zeros(size))
    except Exception as error:
        return str(error)
def ask_other():
    try:
        return model()
    except NameError as error:
        return "refused"
"""
    with sandbox(source) as box:
        assert box.call("ask", (3,), inject={"clip": lambda array: float(array.sum())}).value == 0.0
        assert "larger than the grader accepts" in box.call("ask", (10**6,), inject={"clip": lambda array: 0}).value
        assert box.call("ask_other", inject={"clip": lambda: 0}).value == "refused"


@pytest.mark.parametrize("forged", [{"op": "returned", "value": ["f", "zero"]}, {"op": "returned"},
                                    {"op": "returned", "value": ["x"]}, {"op": "dance"}])
def test_forged_replies_are_reported_as_crashes(forged):
    """Does a hand-written reply that is not well-formed plain data end as a crash, not an exception in the grader?"""
    source = FIND_CHANNEL + f"""
def forge():
    channel().send({forged!r})
    while True:
        pass
"""
    with sandbox(source) as box:
        outcome = box.call("forge")
    assert outcome.status == "crashed"


def test_forged_fields_of_the_wrong_type_are_dropped():
    """Are non-string error fields and violations in a reply replaced by empty values?"""
    source = FIND_CHANNEL + """
def forge():
    channel().send({"op": "raised", "type": 3, "base": ["SystemExit"], "message": {"a": 1}, "output": 5,
                    "violations": [1, "open '/x'"]})
    while True:
        pass
"""
    with sandbox(source) as box:
        outcome = box.call("forge")
    assert (outcome.status, outcome.error_type, outcome.error_base, outcome.message) == ("raised", "", "", "")
    assert outcome.violations == ["", "open '/x'"]


def test_working_folder_is_read_only_and_removed():
    """Can the learner's code read the files it was given but write none, and is the folder gone afterwards?"""
    source = """
import os
def probe():
    written = True
    try:
        open("new.txt", "w").close()
    except OSError:
        written = False
    return os.getcwd(), open("given.txt").read(), written
"""
    with Sandbox([{"id": "s", "source": source}], {"given.txt": b"hello"}, LIMITS) as box:
        workdir, text, written = box.call("probe").value
    assert (text, written) == ("hello", False)
    assert not os.path.exists(workdir)


SPINNING_GRADER = """
from graders.sandbox.session import Sandbox
box = Sandbox([{"id": "s", "source": "def spin():\\n    while True:\\n        pass\\n"}], {})
print(box.load().layers, box.process.pid, flush=True)
box.call("spin", seconds=600)
"""


def test_the_learners_process_ends_with_a_killed_grader():
    """When the grader is killed (SIGKILL, no clean-up) while the learner's code spins, after the learner's process
    changed its identity, does that process end too instead of running on?"""
    grader = subprocess.Popen([sys.executable, "-c", SPINNING_GRADER], stdout=subprocess.PIPE, text=True)
    layers, pid = grader.stdout.readline().rsplit(" ", 1)
    assert "capabilities-dropped" in layers and ("unused-uid" in layers or "user-namespace" in layers), layers
    os.kill(grader.pid, signal.SIGKILL)
    grader.wait()
    for _ in range(300):  # the kernel delivers the signal at once; allow a loaded machine a minute
        if not os.path.exists(f"/proc/{pid.strip()}"):
            break
        time.sleep(0.2)
    else:
        os.kill(int(pid), signal.SIGKILL)  # not left behind by the test either
        raise AssertionError("the learner's process outlived the grader")


def test_printed_output_is_dropped():
    """Does code that prints more than its memory limit in total, while loading and in a call, still run normally?"""
    source = "for _ in range(60):\n    print('x' * 10**7)\ndef noisy():\n    for _ in range(60):\n        print('y' * 10**7)\n    return 1\n"
    with sandbox(source) as box:  # 60 x 10 MB > the 512 MiB limit: nothing printed may pile up
        assert box.load().cells[0]["ok"]
        outcome = box.call("noisy")
    assert (outcome.status, outcome.value) == ("returned", 1)


def test_a_slow_function_runs_out_of_its_budget(tmp_path):
    """Once a function's calls together exceed Limits.function_seconds, do further calls fail as a timeout?"""
    path = tmp_path / "slow.py"
    path.write_text("import time\ndef clip(x):\n    start = time.process_time()\n"
                    "    while time.process_time() - start < 0.3:\n        pass\n    return x\n")
    limits = Limits(call_seconds=2, load_seconds=5, memory_bytes=512 * 2**20, function_seconds=0.5)
    submission = load_submission(path)
    with Sandbox(submission.cells, {}, limits) as box:
        ctx = Context(DINO, box, submission, {}, {})
        assert ctx.call("clip", 1).value == 1 and ctx.call("clip", 2).value == 2
        with pytest.raises(LearnerCodeError) as raised:
            ctx.call("clip", 3)
    assert raised.value.status == "timeout" and "in total" in str(raised.value)


# Numbers from the kernel's tables (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h)
REFUSED = {"setxattr": (188, 5), "lsetxattr": (189, 6), "fsetxattr": (190, 7), "removexattr": (197, 14),
           "fchmodat": (268, 53), "fchmod": (91, 52), "chmod": (90, None), "fchownat": (260, 54), "fchown": (93, 55),
           "utimensat": (280, 88), "utimes": (235, None), "fanotify_init": (300, 262), "fanotify_mark": (301, 263),
           "sched_setaffinity": (203, 122), "sched_setscheduler": (144, 119), "sched_setattr": (314, 274),
           "setpriority": (141, 140), "perf_event_open": (298, 241), "userfaultfd": (323, 282), "keyctl": (250, 219),
           "add_key": (248, 217), "mount": (165, 40), "umount2": (166, 39), "unshare": (272, 97), "setns": (308, 268),
           "reboot": (169, 142), "clone": (56, 220), "clone3": (435, 435), "execve": (59, 221), "ptrace": (101, 117),
           "socket": (41, 198), "bpf": (321, 280), "io_uring_setup": (425, 425), "setuid": (105, 146),
           "capset": (126, 91), "prctl": (157, 167), "inotify_init1": (294, 26), "process_vm_writev": (311, 271)}
ALLOWED = {"read": (0, 63), "write": (1, 64), "openat": (257, 56), "mmap": (9, 222), "exit_group": (231, 94)}
OWN_PROCESS = {"kill": (62, 129), "tgkill": (234, 131)}
PID = 4242


def run_filter(program, arch, number, args=()):
    """What a classic BPF seccomp program returns for one system call (an interpreter for the opcodes it uses)."""
    words = [number, arch, 0, 0]  # nr, arch, instruction pointer (two words), then each argument as two words
    for value in list(args) + [0] * (6 - len(args)):
        words += [value & 0xFFFFFFFF, (value >> 32) & 0xFFFFFFFF]
    accumulator, position = 0, 0
    while True:
        code, jump_true, jump_false, k = program[position]
        position += 1
        if code == 0x20:    # BPF_LD | BPF_W | BPF_ABS
            accumulator = words[k // 4]
        elif code == 0x15:  # BPF_JMP | BPF_JEQ | BPF_K
            position += jump_true if accumulator == k else jump_false
        elif code == 0x35:  # BPF_JMP | BPF_JGE | BPF_K
            position += jump_true if accumulator >= k else jump_false
        elif code == 0x05:  # BPF_JMP | BPF_JA
            position += k
        elif code == 0x06:  # BPF_RET | BPF_K
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x}")


@pytest.mark.parametrize("machine", sorted(syscalls.ARCHITECTURES))
def test_the_system_call_filter_allows_only_its_list(machine):
    """Are xattrs, chmod/chown/utime, fanotify, scheduling, perf events, userfaultfd, keyrings, mounts,
    namespaces, reboot, processes, sockets, BPF and io_uring refused, while reads, writes and exits pass?"""
    program = syscalls.filter_program(machine, PID)
    arch, column = syscalls.ARCHITECTURES[machine]
    refused = {name: numbers[column] for name, numbers in REFUSED.items() if numbers[column] is not None}
    assert {name: run_filter(program, arch, number) for name, number in refused.items()} == dict.fromkeys(
        refused, syscalls.ERRNO_EPERM)
    assert {run_filter(program, arch, numbers[column], (3, 0, 0)) for numbers in ALLOWED.values()} == {syscalls.ALLOW}
    assert run_filter(program, arch ^ 1, ALLOWED["read"][column]) == syscalls.KILL_PROCESS  # another ABI


@pytest.mark.parametrize("machine", sorted(syscalls.ARCHITECTURES))
def test_partly_allowed_calls_hold_to_their_arguments(machine):
    """Do signals reach only the process itself, limits stay read-only, fcntl/ioctl keep to harmless commands, and
    is the wall-clock timer the only one a cell may set?"""
    program = syscalls.filter_program(machine, PID)
    arch, column = syscalls.ARCHITECTURES[machine]
    numbers = syscalls.allowed_numbers(machine)
    for name in OWN_PROCESS:
        assert run_filter(program, arch, numbers[name], (PID, 9)) == syscalls.ALLOW
        assert run_filter(program, arch, numbers[name], (PID + 1, 9)) == syscalls.ERRNO_EPERM
        assert run_filter(program, arch, numbers[name], (1, 9)) == syscalls.ERRNO_EPERM
    prlimit = numbers["prlimit64"]
    assert run_filter(program, arch, prlimit, (0, 9, 0, 0x7FFF0000)) == syscalls.ALLOW           # read own limit
    assert run_filter(program, arch, prlimit, (0, 9, 0x7FFF0000, 0)) == syscalls.ERRNO_EPERM     # set it
    assert run_filter(program, arch, prlimit, (0, 9, 1 << 40, 0)) == syscalls.ERRNO_EPERM        # high word only
    assert run_filter(program, arch, prlimit, (PID + 1, 9, 0, 0x7FFF0000)) == syscalls.ERRNO_EPERM
    assert run_filter(program, arch, numbers["fcntl"], (3, 4)) == syscalls.ALLOW                 # F_SETFL
    assert run_filter(program, arch, numbers["fcntl"], (3, 8)) == syscalls.ERRNO_EPERM           # F_SETOWN
    assert run_filter(program, arch, numbers["ioctl"], (1, 0x5401)) == syscalls.ALLOW            # TCGETS
    assert run_filter(program, arch, numbers["ioctl"], (1, 0x5412)) == syscalls.ERRNO_EPERM      # TIOCSTI
    assert run_filter(program, arch, numbers["setitimer"], (0, 9)) == syscalls.ALLOW              # ITIMER_REAL
    assert run_filter(program, arch, numbers["setitimer"], (2, 9)) == syscalls.ALLOW              # ITIMER_PROF
    assert run_filter(program, arch, numbers["setitimer"], (1, 9)) == syscalls.ERRNO_EPERM        # ITIMER_VIRTUAL
    if machine == "x86_64":
        assert run_filter(program, arch, 0x40000000 | 0) == syscalls.ERRNO_EPERM                 # the x32 ABI


def test_time_the_machine_gives_to_others_is_not_counted():
    """When the learner's process gets no CPU for longer than the call's limit (a loaded machine, here a
    SIGSTOP), does a call that computes for less than its limit still return, charged less than its limit?"""
    source = "import time\ndef work():\n    start = time.process_time()\n" \
             "    while time.process_time() - start < 0.2:\n        pass\n    return 1\n"
    with sandbox(source, Limits(call_seconds=2, load_seconds=5, memory_bytes=512 * 2**20)) as box:
        box.load()
        os.kill(box.process.pid, signal.SIGSTOP)
        resume = threading.Timer(2.5, os.kill, (box.process.pid, signal.SIGCONT))
        resume.start()
        outcome = box.call("work")
        resume.join()
    assert (outcome.status, outcome.value) == ("returned", 1)
    assert 0.2 <= outcome.seconds < 2  # computing time, or the wall-clock time / WALL_FACTOR if more


@pytest.mark.parametrize("body", ["    while True:\n        pass\n", "    import time\n    time.sleep(600)\n"])
def test_a_call_that_computes_or_waits_for_ever_is_stopped(body):
    """Is a call that computes for ever stopped, and one that only waits too (by the wall-clock cap)?"""
    with sandbox("def stall():\n" + body, Limits(call_seconds=1, load_seconds=5, memory_bytes=512 * 2**20)) as box:
        box.load()
        outcome = box.call("stall")
    assert outcome.status == "timeout" and outcome.message == "stall did not finish within 1 s"


class FakeTime:
    """Stands in for the clock's time sources: wall-clock, the learner's CPU and the grader's thread CPU."""
    def __init__(self):
        self.wall = self.learner = self.grader = 0.0


@pytest.fixture
def fake_time(monkeypatch):
    """A FakeTime the clock module reads instead of the real time sources."""
    now = FakeTime()
    monkeypatch.setattr(clock.time, "monotonic", lambda: now.wall)
    monkeypatch.setattr(clock.time, "thread_time", lambda: now.grader)
    monkeypatch.setattr(clock, "process_cpu_seconds", lambda pid: now.learner)
    return now


def test_a_call_expires_on_its_computing_time_or_its_wall_clock_cap(fake_time):
    """Does a call with a 1 s limit expire once it has computed 1 s (the learner's CPU plus the grader's in
    callbacks) past 1 s of wall-clock time, or once WALL_FACTOR s have passed, and not before?"""
    call = clock.CallClock(pid=1, limit=1.0)
    fake_time.wall, fake_time.learner = 3.0, 0.6
    assert not call.expired() and 0 < call.wait_seconds() <= clock.POLL_SECONDS  # a loaded machine: 0.6 s computed
    call.begin_callback()
    fake_time.grader = 0.5
    assert call.expired() and call.wait_seconds() == 0  # 0.6 s in the learner's process, 0.5 s in the grader's
    call.end_callback()
    assert call.cpu() == pytest.approx(1.1) and call.used() == pytest.approx(1.1)
    idle = clock.CallClock(pid=1, limit=1.0)  # started at wall 3.0, learner CPU 0.6
    fake_time.wall = 3.0 + WALL_FACTOR - 0.01
    assert not idle.expired()
    fake_time.wall = 3.0 + WALL_FACTOR + 0.01
    assert idle.expired() and idle.used() == pytest.approx(1.0, abs=0.01)


def test_a_call_that_computes_fast_is_never_expired_early(fake_time):
    """Before its limit in wall-clock time, is a call never expired, whatever its CPU time (threads)?"""
    call = clock.CallClock(pid=1, limit=2.0)
    fake_time.wall, fake_time.learner = 1.5, 3.0
    assert not call.expired() and call.wait_seconds() == pytest.approx(0.501)


def test_a_call_with_callbacks_keeps_both_processes_on_one_cpu_until_it_ends():
    """While the learner's code calls back, do the grader's thread and the learner's process share one CPU, and do
    both get every CPU back once the call ends?"""
    before = os.sched_getaffinity(0)
    during = []

    def probe():
        during.append((os.sched_getaffinity(0), os.sched_getaffinity(box.process.pid)))
        return 1

    with sandbox("import os\ndef ask():\n    return probe(), sorted(os.sched_getaffinity(0))\n") as box:
        outcome = box.call("ask", inject={"probe": probe})
        assert os.sched_getaffinity(0) == before and os.sched_getaffinity(box.process.pid) == before
    grader, learner = during[0]
    assert outcome.value == (1, sorted(learner))
    if len(before) > 1:
        assert len(grader) == 1 and grader == learner and grader <= before


def test_a_process_started_early_loads_when_first_needed_and_leaves_nothing_unused():
    """Does a learner's process started early load its cells at the first call, as one started then would, and
    does one never used leave no process and no folder behind?"""
    with sandbox("x = 41\ndef f():\n    return x + 1\n") as box:
        box.start_early()
        assert box.load_report is None and box.process.poll() is None
        assert box.call("f").value == 42 and box.load_report.cells[0]["ok"]
    unused = sandbox("def f():\n    return 1\n")
    unused.start_early()
    process, workdir = unused.process, unused.workdir
    unused.close()
    assert process.poll() is not None and not os.path.exists(workdir)


def test_a_callback_past_the_deadline_is_stopped():
    """When the grader's own function runs past the call's deadline for the learner, is the call a timeout
    and the function stopped, not waited for?"""
    finished = []

    def slow():
        for _ in range(100):
            time.sleep(0.05)
        finished.append(True)

    with sandbox("def ask():\n    slow()\n    return 1\n", Limits(call_seconds=1, load_seconds=5,
                                                                memory_bytes=512 * 2**20)) as box:
        outcome = box.call("ask", inject={"slow": slow})
    assert outcome.status == "timeout" and finished == []


def test_callback_arguments_must_have_the_cases_shapes():
    """Does a grader-side function wrapped with a schema refuse arguments of other shapes, with a message?"""
    source = """
import numpy as np
def ask(shape):
    try:
        return clip({"dWax": np.zeros(shape)}, 5)
    except Exception as error:
        return str(error)
"""
    supplied = {"clip": accepting(lambda gradients, maxValue: float(gradients["dWax"].sum()),
                                  gradients={"dWax": Array((2, 3))}, maxValue=NUMBER)}
    with sandbox(source) as box:
        assert box.call("ask", ((2, 3),), inject=supplied).value == 0.0
        refused = box.call("ask", ((2000, 1, 1),), inject=supplied).value
    assert "gradients['dWax'] has shape (2000, 1, 1), expected (2, 3)" in refused


def test_many_calls_in_one_message_give_each_calls_outcome_and_stopping_early_loses_nothing():
    """Does call_many give, over more than one message, the outcome each call alone would (returned, raised), keep
    the learner's state between calls, and after its caller stops early does the next call get its own reply?"""
    source = "count = 0\ndef f(x):\n    global count\n    count += 1\n    if x == 3:\n        raise ValueError('three')\n    return [x, count]\n"
    calls = [((x,), {}) for x in range(120)]
    with sandbox(source) as box:
        outcomes = list(box.call_many("f", calls))
        assert [o.status for o in outcomes] == ["returned"] * 3 + ["raised"] + ["returned"] * 116
        assert outcomes[3].message == "three" and outcomes[119].value == [119, 120]
        for outcome in box.call_many("f", calls):  # stop after the first of 50 calls sent together
            assert outcome.value == [0, 121]
            break
        assert box.call("f", (7,)).value == [7, 171]


def test_many_calls_end_at_the_first_that_does_not_return():
    """Does a call of call_many that runs past its limit end the calls with a timeout, the next call finding a
    fresh process?"""
    with sandbox("def f(x):\n    while x == 2:\n        pass\n    return x\n") as box:
        outcomes = list(box.call_many("f", [((x,), {}) for x in range(5)]))
        assert [o.status for o in outcomes] == ["returned", "returned", "timeout"]
        assert box.call("f", (4,)).value == 4
