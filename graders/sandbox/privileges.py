"""Who the confined learner's process is: never uid 0 with capabilities, on any machine.

Two ways to leave the grader's identity, chosen by what the process can do:
- started as root (with CAP_SETUID): switch to an unused uid of its own (UNUSED_UID_BASE + pid), so
  it owns nothing outside its working folder and shares no uid with any other process. Folders
  of the interpreter that such a uid could not reach (Python under /root, say) are opened first
  and reached afterwards through /proc/self/fd/N, so only those folders, never their parents,
  become readable to it (and Landlock still limits what is read below them);
- otherwise: enter a user namespace of its own, mapping only its own uid and gid, where it may
  drop the capability bounding set, which an unprivileged process cannot do.
Either way every capability set (effective, permitted, inheritable, ambient, bounding) ends empty,
no_new_privs is set and the securebits that stop capabilities coming back are set and locked.
`verified_capabilities_dropped` reads the result back from /proc/self/status. A change of uid makes
the kernel forget that the process must die with the grader: `die_with_parent` asks again.

Standard library only: the sandboxed process loads this file by path.
"""
import ctypes
import os
import resource
import signal
import sys

UNUSED_UID_BASE = 0x70000000  # above the ranges distributions and systemd hand out, below 2**31
# PR_SET_SECUREBITS: NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE set, KEEP_CAPS clear, all locked
LOCKED_SECUREBITS = 0b11101111
_PR_SET_PDEATHSIG, _PR_CAPBSET_DROP, _PR_GET_SECUREBITS, _PR_SET_SECUREBITS = 1, 24, 27, 28
_PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4
_CLONE_NEWUSER = 0x10000000
_CAP_CHOWN, _CAP_SETGID, _CAP_SETUID, _CAP_SETPCAP = 0, 6, 7, 8
_CAPABILITY_FIELDS = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def can_switch_user():
    """Has this process what switching to another uid takes (uid 0, CAP_SETUID/SETGID/CHOWN/SETPCAP)?"""
    needed = (1 << _CAP_CHOWN) | (1 << _CAP_SETGID) | (1 << _CAP_SETUID) | (1 << _CAP_SETPCAP)
    return os.geteuid() == 0 and process_status()["CapEff"] & needed == needed


def enter_user_namespace():
    """Move into a new user namespace that maps only this process's own uid and gid; False if refused."""
    uid, gid = os.geteuid(), os.getegid()
    if _libc().unshare(_CLONE_NEWUSER) != 0:
        return False
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as handle:
            handle.write(text)
    return True


def reach_through_descriptors(is_reachable):
    """Point sys.path and every loaded package's __path__ at /proc/self/fd/N for folders is_reachable refuses.

    Each such sys.path folder is opened once (O_PATH); entries below it are rewritten relative to it.
    """
    replaced = {}
    for entry in sys.path:
        if entry and os.path.isdir(entry) and not is_reachable(entry):
            replaced[entry] = f"/proc/self/fd/{os.open(entry, os.O_PATH | os.O_DIRECTORY)}"
    if not replaced:
        return

    def moved(path):
        for old, new in replaced.items():
            if path == old or path.startswith(old + os.sep):
                return new + path[len(old):]
        return path

    sys.path[:] = [moved(entry) for entry in sys.path]
    for module in list(sys.modules.values()):
        search = getattr(module, "__path__", None)
        if type(search) is list:
            search[:] = [moved(entry) if type(entry) is str else entry for entry in search]
    for old in [key for key in sys.path_importer_cache if type(key) is str and moved(key) != key]:
        finder = sys.path_importer_cache.pop(old)  # its listing of the folder, taken while it was readable
        if hasattr(finder, "path"):
            finder.path = moved(old)
        sys.path_importer_cache[moved(old)] = finder


def switch_to_unused_uid(workdir):
    """Become UNUSED_UID_BASE + pid (user and group, no supplementary groups), owner of workdir only.

    The securebits are locked first: with NO_SETUID_FIXUP the switch keeps the capabilities until
    drop_capabilities clears them, and nothing can bring them back.
    """
    uid = UNUSED_UID_BASE + os.getpid()
    os.chown(workdir, uid, uid)
    for entry in os.scandir(workdir):
        os.chown(entry.path, uid, uid, follow_symlinks=False)
    lock_securebits()
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))  # this uid may not create processes or threads
    return uid


def lock_securebits():
    """Set and lock the securebits (needs CAP_SETPCAP); True when they are as LOCKED_SECUREBITS says."""
    libc = _libc()
    if libc.prctl(_PR_GET_SECUREBITS, 0, 0, 0, 0) != LOCKED_SECUREBITS:
        libc.prctl(_PR_SET_SECUREBITS, LOCKED_SECUREBITS, 0, 0, 0)
    return libc.prctl(_PR_GET_SECUREBITS, 0, 0, 0, 0) == LOCKED_SECUREBITS


def drop_capabilities():
    """Empty the bounding, ambient, inheritable, permitted and effective sets; set no_new_privs."""
    libc = _libc()
    lock_securebits()
    for capability in range(64):  # every number a capability set can hold; unknown ones fail harmlessly
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (_CapData * 2)()
    libc.capset(ctypes.byref(header), data)
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def die_with_parent(parent):
    """Be killed when the grader's process (parent) ends, and end now if it already has.

    The grader asked for this before exec, but the kernel forgets the request when the effective uid
    changes, so without asking again a learner's process would outlive a grader that was killed.
    """
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def verified_capabilities_dropped():
    """Does /proc/self/status show every capability set empty and no_new_privs, with the securebits locked?"""
    status = process_status()
    return (all(status.get(name) == 0 for name in _CAPABILITY_FIELDS) and status.get("NoNewPrivs") == 1
            and _libc().prctl(_PR_GET_SECUREBITS, 0, 0, 0, 0) == LOCKED_SECUREBITS)


def process_status():
    """The numeric fields of /proc/self/status this module uses (capability sets as integers)."""
    fields = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in _CAPABILITY_FIELDS:
                fields[name] = int(value, 16)
            elif name in ("NoNewPrivs", "Threads"):
                fields[name] = int(value)
    return fields


def _libc():
    return ctypes.CDLL(None, use_errno=True)
