"""The documentation tells the truth: every command and option is explained, every command
in the README runs, and the README's example outputs are what the tool prints today."""

import os
import re
import subprocess
import sys

import click
import pytest

from conftest import ROOT
from ftzgraph.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Commands that need a server that is not there; tests/test_server.py runs them against real ones.
NEEDS_A_SERVER = re.compile(r"^ftzgraph (serve|push)\b|--endpoint http|^curl ")
# Files the README's examples read, as a reader would have written them.
FIXTURES = {
    "my-query.rq": "SELECT ?zone ?label WHERE { ?zone a ftz:PilotFreeTradeZone ; skos:prefLabel ?label FILTER(LANG(?label) = 'en') }",
    "my-edges.rq": "CONSTRUCT { ?m ftz:leadBody ?b } WHERE { ?m ftz:leadBody ?b ; ftz:listedIn doc:guohan-2024-156 }",
}


def all_commands():
    return sorted(cli.commands.items())


@pytest.mark.parametrize("name,command", all_commands())
def test_every_command_and_option_has_help(name, command):
    assert command.help and command.help.strip(), f"{name} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and param.help.strip(), f"{name} {param.opts} has no help"


def test_the_group_options_have_help():
    assert all(p.help for p in cli.params if isinstance(p, click.Option))


def test_every_command_is_in_the_readme():
    for name, _command in all_commands():
        assert f"ftzgraph {name}" in README or f"ftzgraph --data synth-1m {name}" in README, name


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def readme_commands() -> list[str]:
    commands = []
    for block in readme_blocks("bash"):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()  # trailing comments
            if line.startswith(("ftzgraph ", "echo ")) and not NEEDS_A_SERVER.search(line):
                commands.append(line)
    return commands


def test_the_readme_has_commands_to_run():
    assert len(readme_commands()) > 30


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path):
    for name, text in FIXTURES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    (tmp_path / "bin").mkdir()
    shim = tmp_path / "bin" / "ftzgraph"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ftzgraph.cli "$@"\n')
    shim.chmod(0o755)
    failures = []
    for command in readme_commands():
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode not in (0, 141):  # 141: `| head` closed the pipe
            failures.append(f"{command}\n  → {done.returncode}: {done.stderr.strip()[-300:]}")
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_the_readme_python_examples_run(tmp_path):
    for block in readme_blocks("python"):
        done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{block}\n{done.stderr[-2000:]}"


def test_readme_outputs_are_current():
    done = subprocess.run([sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "tests"), str(ROOT / "README.md")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"run `cog -r -I tests README.md`:\n{done.stdout}{done.stderr}"
