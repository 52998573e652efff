"""The confinement layers a sandboxed process can report, and what a grading report says when one is missing.

confine.py reports each layer it put in force by name (Landlock with its ABI version, as
"landlock-abi-7"); every grading report lists those and, for each known layer that is not among them,
what its absence means (docs/security.md has the full picture). This table is the one place that
lists the layers: add a layer here when confine.py gains one.
"""
LAYERS = {  # name -> what grading without it means
    "rlimits": "no memory, CPU time or file size limits on the learner's process",
    "unprivileged-user": "the learner's code runs as the grader's user (the grader is not root, or 'nobody' "
                         "cannot read Python): without Landlock it could read every file the grader can",
    "landlock": "the kernel does not confine file access (Linux before 5.13, or a container that blocks "
                "Landlock): reads outside Python, numpy and the working folder are refused by the audit hook only",
    "seccomp": "the kernel does not filter system calls: forking, exec, signals and sockets are refused by "
               "the audit hook only",
    "audit-hook": "refused attempts are not reported",
}


def missing_layers(in_force):
    """[(layer, what its absence means)] for every known layer that is not in in_force (as reported)."""
    return [(layer, meaning) for layer, meaning in LAYERS.items()
            if not any(name == layer or name.startswith(layer + "-") for name in in_force)]
