"""The system calls a confined learner's process may make: an allow-list, everything else refused.

Measured, not guessed: every variant, mutant and adversarial submission, the reference and the
stubs were graded, and tests/test_sandbox.py and tests/test_adversarial.py run, with the sandboxed
processes under `strace -f`; the calls made after the filter was installed are the first group
below, and the only ones refused were the hostile submissions' attempts. The second group adds
what Python and the C library reach for on paths those runs did not take: the clocks and usage
counters of time.process_time and resource.getrusage, abort() (a fatal Python error), a signal
handler's return, identity queries, and the older equivalents (open, stat, access...) of allowed
calls that C libraries before glibc 2.33 use. File access is allowed as system calls because
Landlock decides which paths they may reach.

Any other call fails with EPERM, whatever the learner's code does to the audit hook: no process,
thread or program; no xattrs, chmod, chown or utime; no fanotify, inotify, sockets, namespaces,
mounts, keyrings, perf events, userfaultfd, BPF, io_uring, scheduling of any process, reboot.
Calls allowed only in part (ARGUMENT_RULES): signals only to this process, resource limits read
only, CPU affinity of this process read only, `fcntl` and `ioctl` only for the commands Python
uses on its own descriptors (flags, close-on-exec, the terminal queries behind isatty), and the
timers that limit a notebook cell (`setitimer` with ITIMER_REAL for wall-clock time, ITIMER_PROF for
CPU time; their SIGALRM and SIGPROF go to this process only).

Standard library only: the sandboxed process loads this file by path.
"""
# name: (x86_64 number, aarch64 number); None where the architecture has no such call
SYSCALLS = {
    # seen under strace
    "read": (0, 63), "write": (1, 64), "newfstatat": (262, 79), "getrandom": (318, 278), "brk": (12, 214),
    "mmap": (9, 222), "munmap": (11, 215), "openat": (257, 56), "close": (3, 57), "lseek": (8, 62),
    "getdents64": (217, 61), "readlink": (89, None), "mremap": (25, 216), "mprotect": (10, 226),
    "madvise": (28, 233), "rt_sigaction": (13, 134), "rt_sigprocmask": (14, 135), "getcwd": (79, 17),
    "clock_nanosleep": (230, 115), "getppid": (110, 173), "getuid": (102, 174), "getgid": (104, 176),
    "gettid": (186, 178), "uname": (63, 160), "exit_group": (231, 94),
    # on paths those runs did not take (see above)
    "rt_sigreturn": (15, 139), "sigaltstack": (131, 132), "readv": (19, 65), "writev": (20, 66),
    "pread64": (17, 67), "readlinkat": (267, 78), "open": (2, None), "fstat": (5, 80), "stat": (4, None),
    "lstat": (6, None), "statx": (332, 291), "access": (21, None), "faccessat": (269, 48),
    "faccessat2": (439, 439), "clock_gettime": (228, 113), "clock_getres": (229, 114), "nanosleep": (35, 101),
    "gettimeofday": (96, 169), "time": (201, None), "getpid": (39, 172), "geteuid": (107, 175),
    "getegid": (108, 177), "getgroups": (115, 158), "getresuid": (118, 148), "getresgid": (120, 150),
    "getrusage": (98, 165), "times": (100, 153), "sched_yield": (24, 124), "futex": (202, 98),
    # allowed only as ARGUMENT_RULES says
    "kill": (62, 129), "tgkill": (234, 131), "prlimit64": (302, 261), "sched_getaffinity": (204, 123),
    "fcntl": (72, 25), "ioctl": (16, 29), "setitimer": (38, 103),
}
SELF = "self"  # stands for this process's id in ARGUMENT_RULES
_F_GETFD, _F_SETFD, _F_GETFL, _F_SETFL = 1, 2, 3, 4
_TCGETS, _TIOCGWINSZ = 0x5401, 0x5413
_ITIMER_REAL, _ITIMER_PROF = 0, 2
# name: [(argument index, allowed values, 64 bits wide)]: every condition must hold. An int argument
# is compared on its low 32 bits only, as the kernel reads it; a pointer on all 64.
ARGUMENT_RULES = {
    "kill": [(0, (SELF,), False)],
    "tgkill": [(0, (SELF,), False)],                # thread group: this process (abort() signals itself so)
    "prlimit64": [(0, (0, SELF), False), (2, (0,), True)],  # this process, new_limit NULL: read only
    "sched_getaffinity": [(0, (0, SELF), False)],
    "fcntl": [(1, (_F_GETFD, _F_SETFD, _F_GETFL, _F_SETFL), False)],
    "ioctl": [(1, (_TCGETS, _TIOCGWINSZ), False)],
    "setitimer": [(0, (_ITIMER_REAL, _ITIMER_PROF), False)],  # a cell's time limits: SIGALRM, SIGPROF to itself
}
ARCHITECTURES = {"x86_64": (0xC000003E, 0), "aarch64": (0xC00000B7, 1)}  # audit arch, column in SYSCALLS
_X32_SYSCALL_BIT = 0x40000000

# classic BPF (linux/filter.h, linux/seccomp.h)
_LD_W_ABS, _JEQ_K, _JGE_K, _JA, _RET_K = 0x20, 0x15, 0x35, 0x05, 0x06
ALLOW, ERRNO_EPERM, KILL_PROCESS = 0x7FFF0000, 0x00050000 | 1, 0x80000000
_NR, _ARCH, _ARGS = 0, 4, 16


def allowed_numbers(machine):
    """{system call name: number} of the allow-list on this machine, or None for an unsupported one."""
    if machine not in ARCHITECTURES:
        return None
    column = ARCHITECTURES[machine][1]
    return {name: numbers[column] for name, numbers in SYSCALLS.items() if numbers[column] is not None}


def filter_program(machine, pid, default=ERRNO_EPERM):
    """The seccomp program for machine and this process id, as (code, jt, jf, k) tuples; None if unsupported."""
    numbers = allowed_numbers(machine)
    if numbers is None:
        return None
    arch = ARCHITECTURES[machine][0]
    code = [("ld", _ARCH), ("jeq", arch, None, "wrong_arch"), ("ld", _NR)]
    if machine == "x86_64":
        code += [("jge", _X32_SYSCALL_BIT, "deny", None)]  # the x32 ABI: refused as a whole
    for name, number in numbers.items():
        if name not in ARGUMENT_RULES:
            code += [("jeq", number, "allow", None)]
    for name, conditions in ARGUMENT_RULES.items():
        if name in numbers:
            code += _argument_block(name, numbers[name], conditions, pid)
    code += [("label", "deny"), ("ret", default), ("label", "allow"), ("ret", ALLOW),
             ("label", "wrong_arch"), ("ret", KILL_PROCESS)]
    return _assemble(code)


def _argument_block(name, number, conditions, pid):
    """Code that allows call `number` when every condition on its arguments holds, else denies it."""
    skip = f"after_{name}"
    code = [("jeq", number, None, skip)]
    for position, (index, values, wide) in enumerate(conditions):
        passed = f"{name}_{position}"
        if wide:
            code += [("ld", _ARGS + 8 * index + 4), ("jeq", 0, None, "deny")]
        code.append(("ld", _ARGS + 8 * index))
        code += [("jeq", pid if value == SELF else value, passed, None) for value in values]
        code += [("ja", "deny"), ("label", passed)]
    return code + [("ja", "allow"), ("label", skip)]


def _assemble(code):
    """Resolve labels into the relative jump offsets of classic BPF (jumps go forward only)."""
    labels, position = {}, 0
    for instruction in code:
        if instruction[0] == "label":
            labels[instruction[1]] = position
        else:
            position += 1
    program, position = [], 0

    def offset(target):
        if target is None:
            return 0
        distance = labels[target] - position - 1
        if not 0 <= distance < 256:
            raise ValueError(f"jump to {target} out of range")
        return distance

    for instruction in code:
        kind = instruction[0]
        if kind == "label":
            continue
        if kind == "ld":
            program.append((_LD_W_ABS, 0, 0, instruction[1]))
        elif kind in ("jeq", "jge"):
            _, value, true, false = instruction
            program.append((_JEQ_K if kind == "jeq" else _JGE_K, offset(true), offset(false), value & 0xFFFFFFFF))
        elif kind == "ja":
            program.append((_JA, 0, 0, labels[instruction[1]] - position - 1))
        elif kind == "ret":
            program.append((_RET_K, 0, 0, instruction[1]))
        position += 1
    return program
