"""The confinement layers a sandboxed process can report, and what a grading report says when one is missing.

confine.py reports each layer it put in force by name (Landlock with its ABI version, as
"landlock-abi-7"); every grading report lists those and, for each known layer that is not among them,
what its absence means (docs/security.md has the full picture). This table is the one place that
lists the layers: add a layer here when confine.py gains one. A key may name layers that stand in
for each other, joined by ALTERNATIVES: it is missing only when none of them is in force.
"""
ALTERNATIVES = " or "
LAYERS = {  # name -> what grading without it means
    "rlimits": "no memory, CPU time or file size limits on the learner's process: a memory bomb is stopped only "
               "by the machine",
    "unused-uid or user-namespace": "the learner's code runs as the grader's own user (the grader is not root and "
                                    "the kernel refuses a user namespace): what that user may read is guarded by "
                                    "Landlock alone",
    "capabilities-dropped": "the learner's process kept a capability (a bounding set it could not empty, say): the "
                            "seccomp allow-list still refuses the dangerous calls, but without it a root grader's "
                            "process is root",
    "landlock": "the kernel does not confine file access (Linux before 5.13, or a container that blocks Landlock): "
                "the learner's code can read every file its user can read (with unused-uid, what any user may "
                "read; else the grader's files too), refused by the audit hook only",
    "seccomp-allowlist": "the kernel does not filter system calls: forking, sockets, xattrs, chmod, chown, utime, "
                         "fanotify, scheduling other processes and the other kernel interfaces are refused only by "
                         "the other layers and the audit hook, which learner code can switch off",
    "audit-hook": "refused attempts are not reported (the kernel layers still refuse them)",
}


def missing_layers(in_force):
    """[(layer, what its absence means)] for every known layer that is not in in_force (as reported)."""
    return [(layer, meaning) for layer, meaning in LAYERS.items()
            if not any(name == known or name.startswith(known + "-")
                       for known in layer.split(ALTERNATIVES) for name in in_force)]
