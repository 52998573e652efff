"""Confinement of the sandboxed learner process, applied once before any learner code runs.

Layers, each named in `layers` when it is in force (see docs/security.md for what each guarantees
and what its absence means):
1. "rlimits": address space, CPU time, file size, open files, no core dumps;
2. an identity that is never uid 0 with capabilities (privileges.py): "unused-uid" when started as
   root (a uid of its own, which may then not create processes or threads), else
   "user-namespace" where the kernel allows one; then "capabilities-dropped" once /proc/self/status
   shows every capability set empty, no_new_privs set and the securebits locked;
3. "landlock-abi-N" (Linux 5.13+), enforced by the kernel: read access only to the Python standard
   library, numpy, /proc/self and the sandbox's own folder; no writes anywhere (but /dev/null);
   no program may be executed; on newer kernels no TCP connections and no signals to processes
   outside the sandbox;
4. "seccomp-allowlist" (Linux 3.5+, x86_64 and aarch64), enforced by the kernel: only the system
   calls listed in syscalls.py, everything else fails with EPERM;
5. "audit-hook": a Python audit hook (PEP 578) that refuses the same things from Python and records
   every refused attempt so the grader can report it. Learner code in the same process can tamper
   with it (for instance through gc.get_objects()), so it is a tripwire for reporting, not a
   boundary: layers 1-4 are the ones the kernel enforces.

Standard library only (plus the sibling modules the caller passes in): the sandboxed process loads
it by path.
"""
import ctypes
import os
import resource
import sys

BLOCKED_EVENTS = {
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.kill",
    "os.killpg", "signal.pthread_kill", "subprocess.Popen", "pty.spawn", "os.startfile",
    "socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "os.putenv",
    "os.unsetenv", "os.chmod", "os.chown", "os.link", "os.symlink", "os.truncate", "sys.setprofile",
    "sys.settrace", "os.setuid", "os.setgid", "resource.setrlimit", "resource.prlimit",
    "webbrowser.open", "shutil.rmtree", "os.chdir", "os.chroot", "os.setxattr", "os.removexattr",
    "os.utime", "os.chflags", "os.lchflags",
}
# (signal is not among them: numpy.testing imports it, and sending signals is refused anyway)
BLOCKED_MODULES = ("ctypes", "_ctypes", "subprocess", "_posixsubprocess", "multiprocessing", "socket",
                   "_socket", "pty", "threading", "_thread", "mmap", "graders", "asyncio", "concurrent",
                   "pickle", "_pickle", "marshal")


class Confinement:
    """Applies the layers above and remembers what the learner's code was refused."""

    def __init__(self, workdir, read_roots, limits, privileges, syscalls):
        self.privileges, self.syscalls = privileges, syscalls  # sibling modules, loaded by path
        self.workdir = os.path.realpath(workdir)
        self.read_roots = [os.path.realpath(p) for p in read_roots if os.path.exists(p)] + [self.workdir]
        self.limits = limits
        self.violations = []   # readable descriptions of refused attempts, newest last
        self.layers = []       # which layers are in force, for the grading report

    def apply(self):
        """Apply every available layer; the audit hook goes last, since it also refuses ctypes.

        Order matters: a user namespace must be entered while /proc/self/uid_map may still be
        written (before Landlock), Landlock's rules opened while the interpreter's folders are still
        reachable (before the uid switch), and the capabilities dropped before seccomp shuts prctl.
        """
        privileges, parent = self.privileges, os.getppid()
        if privileges.process_status().get("Threads") != 1:
            raise RuntimeError("confinement needs a single-threaded process (set OPENBLAS_NUM_THREADS=1)")
        self._set_resource_limits()
        switch_user = privileges.can_switch_user() and all(map(_readable_by_others, self.read_roots[:-1]))
        if not switch_user and privileges.enter_user_namespace():
            self.layers.append("user-namespace")
        if switch_user:
            privileges.reach_through_descriptors(_reachable_by_others)
        self._apply_landlock()
        if switch_user:
            privileges.switch_to_unused_uid(self.workdir)
            self.layers.append("unused-uid")
        privileges.drop_capabilities()
        if privileges.verified_capabilities_dropped():
            self.layers.append("capabilities-dropped")
        privileges.die_with_parent(parent)  # the uid switch made the kernel forget it (prctl: before seccomp)
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
        """Kernel-enforced allow-list of system calls (syscalls.py); skipped where unsupported."""
        program = self.syscalls.filter_program(os.uname().machine, os.getpid()) if sys.platform == "linux" else None
        if program is None:
            return
        filters = (_SockFilter * len(program))(*(_SockFilter(*instruction) for instruction in program))
        fprog = _SockFprog(len(program), ctypes.cast(filters, ctypes.c_void_p))
        try:
            _set_no_new_privileges()
            if _libc().prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
                return
        except OSError:
            return
        self.layers.append("seccomp-allowlist")

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


def _readable_by_others(path):
    """Can an unprivileged user read path (and search it, when it is a folder), its parents aside?"""
    mode = os.stat(path).st_mode
    return bool(mode & 0o004) and (not os.path.isdir(path) or bool(mode & 0o001))


def _reachable_by_others(path):
    """Can an unprivileged user traverse every folder above path (and read path itself)?"""
    path = os.path.realpath(path)
    if not _readable_by_others(path):
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
