"""Confinement of the sandboxed learner process, applied once before any learner code runs.

Four layers, each a backstop for the others (see "Security model" in the README):
1. resource limits: address space, CPU time, file size, open files, no core dumps;
2. when started as root, the process drops to an unprivileged user (nobody) and may then not
   create processes or threads (RLIMIT_NPROC);
3. Landlock (Linux 5.13+), enforced by the kernel and inherited by anything the process starts:
   read access only to the Python standard library, numpy and the sandbox's own folder (which is
   also the only place it may write); no program may be executed; on newer kernels no TCP
   connections and no signals to processes outside the sandbox;
4. a Python audit hook (PEP 578), which cannot be removed from Python code: it refuses process
   creation, signals, sockets, ctypes and file access outside the allowed folders, and records
   every refused attempt so the grader can report it.

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
BLOCKED_MODULES = ("ctypes", "_ctypes", "subprocess", "_posixsubprocess", "multiprocessing", "socket",
                   "_socket", "pty", "signal", "_signal", "threading", "_thread", "mmap", "graders",
                   "asyncio", "concurrent", "pickle", "_pickle", "marshal")


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
        write = read | _FS_WRITE_FILE | _FS_REMOVE_DIR | _FS_REMOVE_FILE | _FS_MAKE_REG | _FS_MAKE_DIR
        handled_fs = (1 << 13) - 1
        if abi >= 2:
            handled_fs |= 1 << 13  # REFER
        if abi >= 3:
            handled_fs |= 1 << 14  # TRUNCATE
            write |= 1 << 14
        handled_net = 0b11 if abi >= 4 else 0          # TCP bind and connect
        scoped = 0b11 if abi >= 6 else 0               # abstract unix sockets and signals
        attr = (ctypes.c_uint64 * 3)(handled_fs, handled_net, scoped)
        size = 24 if abi >= 6 else (16 if abi >= 4 else 8)
        ruleset = _syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
        try:
            for root in self.read_roots:
                _add_path_rule(ruleset, root, write if root == self.workdir else read)
            for device in ("/dev/null", "/dev/urandom", "/dev/zero"):
                _add_path_rule(ruleset, device, _FS_READ_FILE | _FS_WRITE_FILE)
            if _libc().prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
                raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
            _syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
        finally:
            os.close(ruleset)
        self.layers.append(f"landlock-abi-{abi}")

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
        if full in ("/dev/null", "/dev/urandom", "/dev/zero"):
            return True
        writing = event != "open" or _opens_for_writing(args)
        roots = [self.workdir] if writing else self.read_roots
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
