# The kit's grading image (docs/security.md, docs/scale.md): `graders batch`, the Dask scheduler and
# the Dask workers all run from it. Build it from the kit's folder:
#     docker build -t dino-kit .
# The kit lives in /opt/dino-kit, readable by root only; Python and the pinned dependencies (with the
# `cluster` extra) in /opt/venv, readable by all, as the sandbox's unprivileged user needs them.
FROM python:3.11-slim-bookworm
COPY . /opt/dino-kit
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir -e "/opt/dino-kit[cluster]" \
    && chmod -R a+rX /opt/venv \
    && chmod -R go-rwx /opt/dino-kit
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /tmp
CMD ["python", "-m", "graders", "--help"]
