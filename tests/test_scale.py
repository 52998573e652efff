"""docs/scale.md: the Slurm job script its settings give, its Kubernetes manifest, and its commands.

The settings and the manifest are read out of the document itself, so the document and these tests
cannot drift apart.
"""
import argparse
import re
import shlex
from pathlib import Path

import dask
import jsonschema
import pytest
import yaml
from dask.utils import parse_bytes, parse_timedelta

from conftest import KIT
from graders.batch import configure_batch

DOC = (KIT / "docs" / "scale.md").read_text()
GRADING_MEMORY_MB = 2048 + 512  # the learner's default --memory-mb, and the grader's own process


def fenced_block(marker):
    """The fenced code block right after the HTML comment `<!-- marker -->` in docs/scale.md."""
    found = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)\n```", DOC, re.S)
    assert found, f"docs/scale.md has no code block after <!-- {marker} -->"
    return found.group(1)


def flatten(settings, prefix):
    """{'jobqueue.slurm.cores': 8, ...} from nested settings, as dask.config.set takes them."""
    return {f"{prefix}.{key}": value for key, value in settings.items()}


@pytest.fixture(scope="module")
def slurm():
    """(settings, job script) of the documented jobqueue.yaml, rendered by dask-jobqueue's SLURMCluster."""
    from dask_jobqueue import SLURMCluster
    settings = yaml.safe_load(fenced_block("slurm-settings"))["jobqueue"]["slurm"]
    with dask.config.set(flatten(settings, "jobqueue.slurm")):
        with SLURMCluster(scheduler_options={"host": "127.0.0.1", "dashboard": False}) as cluster:
            return settings, cluster.job_script()


def test_slurm_jobs_ask_for_the_documented_cpus_memory_and_time(slurm):
    """Does the job script request the documented cores, memory and walltime from Slurm, under the course's
    queue and account?"""
    settings, script = slurm
    directives = [line for line in script.splitlines() if line.startswith("#SBATCH")]
    assert f"#SBATCH --cpus-per-task={settings['cores']}" in directives
    assert f"#SBATCH -t {settings['walltime']}" in directives
    assert f"#SBATCH -p {settings['queue']}" in directives and f"#SBATCH -A {settings['account']}" in directives
    memory = next(line.split("=", 1)[1] for line in directives if line.startswith("#SBATCH --mem="))
    assert parse_bytes(memory + "iB") == parse_bytes(settings["memory"])  # Slurm's G is 2**30 bytes


def test_slurm_workers_run_in_the_container_one_grading_each(slurm):
    """Does each job load Apptainer, then start its Dask workers with the container's Python, one thread per
    worker process and as many processes as cores?"""
    settings, script = slurm
    lines = script.splitlines()
    command = next(line for line in lines if "distributed.cli.dask_worker" in line)
    assert lines.index(settings["job_script_prologue"][0]) < lines.index(command)
    assert command.startswith(settings["python"] + " -m distributed.cli.dask_worker tcp://127.0.0.1:")
    assert "--containall" in settings["python"] and settings["python"].split()[-2].endswith(".sif")
    words = command.split()
    assert words[words.index("--nthreads") + 1] == "1"
    assert int(words[words.index("--nworkers") + 1]) == settings["processes"] == settings["cores"]


def test_slurm_workers_have_room_for_a_grading_and_leave_before_the_walltime(slurm):
    """Is each worker's memory enough for the learner's default limit plus the grader, and do workers retire
    (lifetime plus stagger) before Slurm's walltime ends their job?"""
    settings, script = slurm
    words = next(line for line in script.splitlines() if "dask_worker" in line).split()
    assert parse_bytes(words[words.index("--memory-limit") + 1]) >= GRADING_MEMORY_MB * 2**20
    extra = settings["worker_extra_args"]
    leaves = parse_timedelta(extra[extra.index("--lifetime") + 1]) + parse_timedelta(
        extra[extra.index("--lifetime-stagger") + 1])
    hours, minutes, seconds = (int(part) for part in settings["walltime"].split(":"))
    assert leaves < hours * 3600 + minutes * 60 + seconds
    assert " ".join(extra) in " ".join(words)


def strict(schema):
    """The schema with unknown fields refused wherever Kubernetes would drop them (a typo is an error)."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema \
                and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


@pytest.fixture(scope="module")
def manifest():
    """The documented DaskCluster resource."""
    return yaml.safe_load(fenced_block("kubernetes-manifest"))


def test_kubernetes_manifest_is_a_valid_dask_cluster(manifest):
    """Does the documented manifest satisfy the Dask operator's DaskCluster resource definition, unknown fields
    refused?"""
    import dask_kubernetes
    definition = yaml.safe_load((Path(dask_kubernetes.__file__).parent / "operator" / "deployment" / "helm" /
                                 "dask-kubernetes-operator" / "crds" / "daskcluster.yaml").read_text())
    group, version = manifest["apiVersion"].split("/")
    assert group == definition["spec"]["group"] and manifest["kind"] == definition["spec"]["names"]["kind"]
    schema = next(v for v in definition["spec"]["versions"] if v["name"] == version)["schema"]["openAPIV3Schema"]
    spec_schema = strict(schema["properties"]["spec"])  # apiVersion, kind and metadata are Kubernetes' own
    jsonschema.validate(manifest["spec"], spec_schema)
    with pytest.raises(jsonschema.ValidationError):  # the check itself sees a misspelt field
        jsonschema.validate({**manifest["spec"], "workers": manifest["spec"]["worker"]}, spec_schema)


def test_kubernetes_workers_grade_one_at_a_time_in_the_kit_image_confined(manifest):
    """Do the worker pods run the scheduler's image with one thread, memory for a grading, root (to drop learner
    code to nobody) without privilege escalation, a read-only image, a scratch /tmp and only the six
    capabilities the sandbox needs?"""
    scheduler = manifest["spec"]["scheduler"]["spec"]["containers"][0]
    pod = manifest["spec"]["worker"]["spec"]
    worker = pod["containers"][0]
    assert worker["image"] == scheduler["image"]
    assert worker["args"][:2] == ["dask", "worker"] and worker["args"][worker["args"].index("--nthreads") + 1] == "1"
    assert worker["resources"]["limits"]["cpu"] == "1"
    assert parse_bytes(worker["resources"]["limits"]["memory"].replace("Gi", "GiB")) >= GRADING_MEMORY_MB * 2**20
    context = worker["securityContext"]
    assert context["runAsUser"] == 0 and context["allowPrivilegeEscalation"] is False
    assert context["readOnlyRootFilesystem"] is True
    assert context["capabilities"] == {"drop": ["ALL"], "add": ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID",
                                                                "SETUID"]}
    tmp = next(mount for mount in worker["volumeMounts"] if mount["mountPath"] == "/tmp")
    assert "emptyDir" in next(volume for volume in pod["volumes"] if volume["name"] == tmp["name"])
    assert pod["automountServiceAccountToken"] is False


def test_documented_batch_commands_are_valid_and_use_the_documented_image():
    """Does every `graders batch` command in docs/scale.md parse with the kit's own options, and is the image
    the doc builds the one the manifest and the Slurm image are made from?"""
    commands = [line.strip() for line in DOC.splitlines() if line.strip().startswith("python -m graders batch")]
    assert len(commands) >= 3
    parser = argparse.ArgumentParser()
    configure_batch(parser)
    for command in commands:
        words = shlex.split(command, comments=True)
        args = parser.parse_args(words[4:])
        assert args.scheduler, command
    built = re.search(r"docker build -t (\S+) \.", DOC).group(1)
    assert yaml.safe_load(fenced_block("kubernetes-manifest"))["spec"]["worker"]["spec"]["containers"][0]["image"] == built
    assert f"apptainer build /shared/images/dino-kit.sif docker://{built}" in DOC
    assert (KIT / "Dockerfile").exists() and "[cluster]" in (KIT / "Dockerfile").read_text()
