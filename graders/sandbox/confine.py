"""Confinement of the sandboxed learner process, applied once before any learner code runs.

Five layers (see docs/security.md for what each guarantees and what needs a container):
1. resource limits: address space, CPU time, file size, open files, no core dumps;
2. when started as root and nobody can read Python and numpy, the process drops to an
   unprivileged user (nobody) and may then not create processes or threads (RLIMIT_NPROC);
3. Landlock (Linux 5.13+), enforced by the kernel: read access only to the Python standard
   library, numpy, /proc/self and the sandbox's own folder; no writes anywhere (but /dev/null);
   no program may be executed; on newer kernels no TCP connections and no signals to processes
   outside the sandbox;
4. seccomp (Linux 3.5+), enforced by the kernel: no new processes or threads, no program
   execution, no signals except to itself, no ptrace, no raising of the limits of layer 1, no
   sockets, no new namespaces, io_uring or BPF;
5. a Python audit hook (PEP 578) that refuses the same things from Python and records every
   refused attempt so the grader can report it. Learner code in the same process can tamper with
   it (for instance through gc.get_objects()), so it is a tripwire for reporting, not a boundary:
   layers 1-4 are the ones the kernel enforces.

Standard library only (plus what the caller passes in): the sandboxed process loads it by path.
"""
import ctypes
import os
import resource
import sys

NOBODY = 65534
BLOCKED_EVENTS = {
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.kill",
    "os.killpg", "signal.pthread_kill", "subprocess.Popen", "pty.spawn", "os.startfile",
    "socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "os.putenv",
    "os.unsetenv", "os.chmod", "os.chown", "os.link", "os.symlink", "os.truncate", "sys.setprofile",
    "sys.settrace", "os.setuid", "os.setgid", "resource.setrlimit", "resource.prlimit",
    "webbrowser.open", "shutil.rmtree", "os.chdir", "os.chroot",
}
# (signal is not among them: numpy.testing imports it, and sending signals is refused anyway)
BLOCKED_MODULES = ("ctypes", "_ctypes", "subprocess", "_posixsubprocess", "multiprocessing", "socket",
                   "_socket", "pty", "threading", "_thread", "mmap", "graders", "asyncio", "concurrent",
                   "pickle", "_pickle", "marshal")


class Confinement:
    """Applies the layers above and remembers what the learner's code was refused."""

    def __init__(self, workdir, read_roots, limits):
        self.workdir = os.path.realpath(workdir)
        self.read_roots = [os.path.realpath(p) for p in read_roots if os.path.exists(p)] + [self.workdir]
        self.limits = limits
        self.violations = []   # readable descriptions of refused attempts, newest last
        self.layers = []       # which layers are in force, for the grading report

    def apply(self):
        """Apply every available layer; the audit hook goes last, since it also refuses ctypes."""
        self._set_resource_limits()
        self._drop_privileges()
        self._apply_landlock()
        self._apply_seccomp()
        sys.addaudithook(self._audit)
        self.layers.append("audit-hook")

    def take_violations(self):
        """The refused attempts since the last call, oldest first."""
        taken, self.violations = self.violations, []
        return taken

    def _set_resource_limits(self):
        limits = self.limits
        memory = int(limits["memory_bytes"])
        for name, value in (("RLIMIT_AS", memory), ("RLIMIT_DATA", memory), ("RLIMIT_CPU", int(limits["cpu_seconds"])),
                            ("RLIMIT_FSIZE", int(limits["file_bytes"])), ("RLIMIT_CORE", 0),
                            ("RLIMIT_NOFILE", 64)):
            kind = getattr(resource, name)
            soft, hard = resource.getrlimit(kind)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(kind, (value, value))
        self.layers.append("rlimits")

    def _drop_privileges(self):
        if os.getuid() != 0 or not all(_reachable_by_others(root) for root in self.read_roots[:-1]):
            return  # not root, or nobody could not read the standard library: stay, rely on layers 3-4
        os.chown(self.workdir, NOBODY, NOBODY)
        for entry in os.scandir(self.workdir):
            os.chown(entry.path, NOBODY, NOBODY)
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # no new processes or threads
        self.layers.append("unprivileged-user")

    def _apply_landlock(self):
        """Kernel-enforced file, network and signal restrictions; skipped where unsupported."""
        try:
            abi = _landlock_abi()
        except OSError:
            return
        if abi < 1:
            return
        read = _FS_READ_FILE | _FS_READ_DIR
        handled_fs = (1 << 13) - 1
        if abi >= 2:
            handled_fs |= 1 << 13  # REFER
        if abi >= 3:
            handled_fs |= 1 << 14  # TRUNCATE
        handled_net = 0b11 if abi >= 4 else 0          # TCP bind and connect
        scoped = 0b11 if abi >= 6 else 0               # abstract unix sockets and signals
        attr = (ctypes.c_uint64 * 3)(handled_fs, handled_net, scoped)
        size = 24 if abi >= 6 else (16 if abi >= 4 else 8)
        ruleset = _syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
        try:
            for root in self.read_roots:  # the working folder too: nothing may be written, so no disk can fill
                _add_path_rule(ruleset, root, read)
            _add_path_rule(ruleset, "/dev/null", _FS_READ_FILE | _FS_WRITE_FILE)
            for device in ("/dev/urandom", "/dev/zero"):
                _add_path_rule(ruleset, device, _FS_READ_FILE)
            _set_no_new_privileges()
            _syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
        finally:
            os.close(ruleset)
        self.layers.append(f"landlock-abi-{abi}")

    def _apply_seccomp(self):
        """Kernel-enforced system call filter (see SECCOMP_DENIED); skipped where unsupported."""
        numbers = _SYSCALLS.get(os.uname().machine) if sys.platform == "linux" else None
        if numbers is None:
            return
        program = _seccomp_program(numbers, os.getpid())
        filters = (_SockFilter * len(program))(*program)
        fprog = _SockFprog(len(program), ctypes.cast(filters, ctypes.c_void_p))
        try:
            _set_no_new_privileges()
            if _libc().prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
                return
        except OSError:
            return
        self.layers.append("seccomp")

    def _audit(self, event, args):
        """Refuse what a grading run never needs; let everything else through untouched."""
        if event in ("open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.mkdir", "os.rmdir"):
            path = args[0] if args else None
            if isinstance(path, (str, bytes)) and not self._allowed_path(path, event, args):
                self._refuse(f"{event} {os.fsdecode(path)!r}")
            return
        if event == "import":
            name = args[0] if args else ""
            if isinstance(name, str) and any(name == m or name.startswith(m + ".") for m in BLOCKED_MODULES):
                self._refuse(f"import {name}")
            return
        if event in BLOCKED_EVENTS or event.startswith("ctypes.") or event.startswith("_posixsubprocess"):
            self._refuse(event)

    def _allowed_path(self, path, event, args):
        """May the learner's code touch this path (reading inside the roots, writing in workdir)?"""
        full = os.path.realpath(os.path.join(self.workdir, os.fsdecode(path)))
        writing = _opens_for_writing(args) if event == "open" else event not in ("os.listdir", "os.scandir")
        if full in ("/dev/null", "/dev/urandom", "/dev/zero"):
            return full == "/dev/null" or not writing
        if writing:
            return False  # the learner's code writes nowhere, so it cannot fill a disk or plant files
        roots = self.read_roots
        return any(full == root or full.startswith(root + os.sep) for root in roots)

    def _refuse(self, what):
        if len(self.violations) < 50:
            self.violations.append(what)
        raise PermissionError(f"blocked by the grader's sandbox: {what}")


def _reachable_by_others(path):
    """Can an unprivileged user traverse every folder above path (and read path itself)?"""
    path = os.path.realpath(path)
    if not os.stat(path).st_mode & 0o004:
        return False
    parent = os.path.dirname(path)
    while True:
        if not os.stat(parent).st_mode & 0o001:
            return False
        if parent == os.path.dirname(parent):
            return True
        parent = os.path.dirname(parent)


def _opens_for_writing(args):
    mode = args[1] if len(args) > 1 else "r"
    flags = args[2] if len(args) > 2 else 0
    if isinstance(mode, str) and any(ch in mode for ch in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))


# Landlock system calls and access rights (linux/landlock.h).
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 1, 1 << 2, 1 << 3
_FS_REMOVE_DIR, _FS_REMOVE_FILE, _FS_MAKE_DIR, _FS_MAKE_REG = 1 << 4, 1 << 5, 1 << 7, 1 << 8


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


# System call numbers per machine: (audit arch, denied calls, calls allowed only on this process
# (first argument = own pid), prlimit64). Denied: clone, clone3, fork, vfork, execve, execveat,
# ptrace, setrlimit, process_vm_readv/writev, pidfd_open/send_signal/getfd, io_uring_setup/enter/
# register, socket, socketpair, unshare, setns, mount, bpf, userfaultfd, perf_event_open, setsid,
# setpgid, chroot. Own-process only: kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo.
_SYSCALLS = {
    "x86_64": (0xC000003E,
               (56, 435, 57, 58, 59, 322, 101, 160, 310, 311, 434, 424, 438, 425, 426, 427, 41, 53, 272, 308,
                165, 321, 323, 298, 112, 109, 161),
               (62, 200, 234, 129, 297), 302),
    "aarch64": (0xC00000B7,
                (220, 435, 221, 281, 117, 164, 270, 271, 434, 424, 438, 425, 426, 427, 198, 199, 97, 268, 40,
                 280, 282, 241, 157, 154, 51),
                (129, 130, 131, 138, 240), 261),
}
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _EPERM, _KILL_PROCESS = 0x7FFF0000, 0x00050000 | 1, 0x80000000


def _seccomp_program(numbers, pid):
    """A classic BPF program: wrong architecture -> killed; denied calls -> EPERM; others allowed."""
    arch, denied, own_process_only, prlimit = numbers
    program = [(_LD_ABS, 0, 0, 4), (_JEQ, 1, 0, arch), (_RET, 0, 0, _KILL_PROCESS), (_LD_ABS, 0, 0, 0)]
    if arch == 0xC000003E:
        program += [(_JGE, 0, 1, 0x40000000), (_RET, 0, 0, _EPERM)]  # the x32 ABI: refused as a whole
    for number in denied:
        program += [(_JEQ, 0, 1, number), (_RET, 0, 0, _EPERM)]
    for number in own_process_only:  # allowed only when the first argument is this process
        program += [(_JEQ, 0, 4, number), (_LD_ABS, 0, 0, 16), (_JEQ, 0, 1, pid), (_RET, 0, 0, _ALLOW),
                    (_RET, 0, 0, _EPERM)]
    # prlimit64 may read limits (new_limit NULL) but never set them
    program += [(_JEQ, 0, 6, prlimit), (_LD_ABS, 0, 0, 32), (_JEQ, 0, 3, 0), (_LD_ABS, 0, 0, 36),
                (_JEQ, 0, 1, 0), (_RET, 0, 0, _ALLOW), (_RET, 0, 0, _EPERM)]
    program.append((_RET, 0, 0, _ALLOW))
    return [_SockFilter(*instruction) for instruction in program]


def _set_no_new_privileges():
    """PR_SET_NO_NEW_PRIVS, which Landlock and seccomp require of an unprivileged caller."""
    if _libc().prctl(38, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _syscall(number, *args):
    result = _libc().syscall(ctypes.c_long(number), *args)
    if result < 0:
        raise OSError(ctypes.get_errno(), f"landlock system call {number} failed")
    return result


def _landlock_abi():
    if sys.platform != "linux" or os.uname().machine not in ("x86_64", "aarch64"):
        return 0  # the system call numbers above are those of these architectures
    return _syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # VERSION flag


def _add_path_rule(ruleset, path, access):
    if not os.path.exists(path):
        return
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not os.path.isdir(path):
            access &= _FS_READ_FILE | _FS_WRITE_FILE | (1 << 14)  # file rules take file rights only
        rule = _PathBeneath(access, fd)
        _syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule), ctypes.c_uint32(0))
    finally:
        os.close(fd)


def standard_read_roots(numpy_module):
    """Folders the learner's code may read: the standard library (without site-packages) and numpy."""
    stdlib = os.path.dirname(os.__file__)
    roots = [os.path.join(stdlib, entry) for entry in os.listdir(stdlib)
             if entry not in ("site-packages", "dist-packages")]
    numpy_dir = os.path.dirname(numpy_module.__file__)
    roots += [numpy_dir, numpy_dir + ".libs", os.path.join(os.path.dirname(numpy_dir), "numpy.libs")]
    roots += [f"/proc/{os.getpid()}"]
    return roots
