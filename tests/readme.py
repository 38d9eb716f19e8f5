"""Helpers for cog, which writes the example outputs in README.md (`cog -r -I tests README.md`)."""

import os
import subprocess
import sys


def console(cog, *commands: str) -> None:
    """A ```console block with each command and what it prints (run through bash, so pipes work)."""
    env = {**os.environ, "COLUMNS": "200"}
    cog.outl("```console")
    for i, command in enumerate(commands):
        shell = command.replace("ftzgraph ", f"{sys.executable} -m ftzgraph.cli ", 1)
        done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, env=env)
        if done.returncode not in (0, 141):  # 141: head closed the pipe, as intended
            raise RuntimeError(f"{command} failed: {done.stderr}")
        cog.outl(("\n" if i else "") + f"$ {command}")
        cog.out(done.stdout)
    cog.outl("```")
