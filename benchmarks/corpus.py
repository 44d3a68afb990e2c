"""A deterministic corpus of realistic OpenJD templates for the benchmarks.

    python benchmarks/corpus.py DIR [-n 1000] [--seed 0]

Render farms' templates: jobs with typed parameters, frame ranges and combinations, chunked steps,
step dependencies, embedded scripts, host requirements and step environments; queue environments
that wrap every action (WRAP_ACTIONS) or hold variables; about one template in ten carries a mistake
a linter should report (a misspelt key, a dangling reference, a bad range). The same seed gives the
same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

APPS = ["blender", "maya", "nuke", "houdini", "katana", "ffmpeg", "vray", "arnold", "unreal", "cinema4d"]
VERBS = ["Render", "Simulate", "Encode", "Composite", "Bake", "Cache", "Denoise", "Export", "Publish", "Review"]


def job_template(rng: random.Random, number: int) -> str:
    app = rng.choice(APPS)
    steps = rng.randint(1, 4)
    wrap = rng.random() < 0.3
    extensions = ["EXPR", "FEATURE_BUNDLE_1"] + (["WRAP_ACTIONS"] if wrap else []) + (
        ["TASK_CHUNKING"] if rng.random() < 0.3 else [])
    lines = [f"# {app} job {number}", "specificationVersion: jobtemplate-2023-09",
             f"extensions: [{', '.join(extensions)}]", f"name: {rng.choice(VERBS)} {app} shot {number:04}",
             f"description: Generated job {number} for {app}.", "parameterDefinitions:",
             "- name: SceneFile", "  type: PATH", "  objectType: FILE", "  dataFlow: IN",
             f"  default: /projects/show/shot{number:04}/scene.{app}",
             "- name: OutputDir", "  type: PATH", "  objectType: DIRECTORY", "  dataFlow: OUT",
             "  default: /renders/out",
             "- name: Frames", "  type: STRING", f"  default: \"1-{rng.randint(24, 480)}\"", "  minLength: 1",
             "- name: Quality", "  type: INT", "  default: 2", "  minValue: 1", "  maxValue: 5",
             "- name: Camera", "  type: STRING", "  allowedValues: [main, left, right]", "  default: main",
             "- name: Scale", "  type: FLOAT", "  default: 1.0"]
    lines.append("steps:")
    names = []
    for step in range(steps):
        name = f"{rng.choice(VERBS)}{step}"
        names.append(name)
        lines += [f"- name: {name}", f"  description: Step {step} of job {number}."]
        if wrap and step == 0:
            lines += _step_wrap_environment(rng)
        elif rng.random() < 0.3:
            lines += ["  stepEnvironments:", f"  - name: Env{step}", "    variables:",
                      f"      {app.upper()}_THREADS: \"{rng.choice([4, 8, 16])}\"", "      OCIO: /config/aces.ocio"]
        if step and rng.random() < 0.7:
            lines += ["  dependencies:", f"  - dependsOn: {names[rng.randrange(step)]}"]
        lines += _parameter_space(rng, "TASK_CHUNKING" in extensions)
        lines += ["  hostRequirements:", "    amounts:", "    - name: amount.worker.vcpu",
                  f"      min: {rng.choice([2, 4, 8])}", "    attributes:", "    - name: attr.worker.os.family",
                  "      anyOf: [linux]"]
        lines += _script(rng, app)
    text = "\n".join(lines) + "\n"
    return _mistake(rng, text)


def _parameter_space(rng: random.Random, chunking: bool) -> list:
    space = ["  parameterSpace:", "    taskParameterDefinitions:"]
    if chunking and rng.random() < 0.5:
        return space + ["    - name: Frame", "      type: CHUNK[INT]", "      range: \"{{Param.Frames}}\"",
                        "      chunks:", f"        defaultTaskCount: {rng.choice([5, 10, 20])}",
                        "        rangeConstraint: CONTIGUOUS"]
    space += ["    - name: Frame", "      type: INT", "      range: \"{{Param.Frames}}\""]
    if rng.random() < 0.4:
        space += ["    - name: Layer", "      type: STRING", "      range: [beauty, diffuse, specular]",
                  "    combination: \"Frame * Layer\""]
    return space


def _script(rng: random.Random, app: str) -> list:
    task = "{{Task.Param.Frame}}"
    lines = ["  script:", "    embeddedFiles:", "    - name: Run", "      type: TEXT", "      runnable: true",
             "      filename: run.sh", "      data: |", "        #!/usr/bin/env bash", "        set -euo pipefail",
             f"        echo 'frame {task} of {{{{Param.SceneFile}}}}'"]
    for line in range(rng.randint(2, 12)):
        lines.append(f"        {app} --threads 8 --step {line} --quality {{{{Param.Quality}}}} >> log.txt")
    lines += ["    actions:", "      onRun:", "        command: \"{{Task.File.Run}}\"",
              f"        args: [\"--frame\", \"{task}\", \"--out\", \"{{{{Param.OutputDir}}}}\", "
              f"\"{{{{ repr_sh(Param.Camera) }}}}\"]",
              f"        timeout: {rng.choice([600, 3600, 7200])}"]
    return lines


def _step_wrap_environment(rng: random.Random) -> list:
    hooks = []
    for hook in ("onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"):
        hooks += [f"          {hook}:", "            command: nice",
                  f"            args: [\"-n\", \"{rng.randint(1, 19)}\", \"{{{{WrappedAction.Command}}}}\", "
                  "\"{{WrappedAction.Args}}\"]",
                  "            timeout: \"{{WrappedAction.Timeout}}\""]
    return ["  stepEnvironments:", "  - name: Niced", "    script:", "      actions:"] + hooks


def environment_template(rng: random.Random, number: int) -> str:
    if rng.random() < 0.4:
        return "\n".join([
            "specificationVersion: environment-2023-09", "environment:", f"  name: Variables{number}",
            "  variables:", f"    PIPELINE_ROOT: /pipeline/v{rng.randint(1, 9)}",
            f"    LICENSE_SERVER: license{rng.randint(1, 5)}.studio.local", "    RENDER_QUEUE: farm"]) + "\n"
    image = rng.choice(["ubuntu:24.04", "rockylinux:9", "studio/render:2025"])
    lines = ["specificationVersion: environment-2023-09", "extensions: [WRAP_ACTIONS, EXPR, FEATURE_BUNDLE_1]",
             "parameterDefinitions:", "- name: ContainerImage", "  type: STRING", f"  default: \"{image}\"",
             "environment:", f"  name: Container{number}", "  description: Runs every action in a container.",
             "  script:", "    embeddedFiles:", "    - name: Start", "      type: TEXT", "      runnable: true",
             "      filename: start.sh", "      data: |", "        #!/usr/bin/env bash", "        set -euo pipefail",
             "        id=$(docker run --detach --rm {{ repr_sh(Param.ContainerImage) }} sleep infinity)",
             "        echo \"openjd_env: CONTAINER_ID=$id\"", "    - name: Exec", "      type: TEXT",
             "      runnable: true", "      filename: exec.sh", "      data: |", "        #!/usr/bin/env bash",
             "        exec docker exec --interactive \"$CONTAINER_ID\" \"$@\"", "    actions:", "      onEnter:",
             "        command: \"{{Env.File.Start}}\"", "      onExit:", "        command: docker",
             "        args: [stop, \"$CONTAINER_ID\"]"]
    for hook in ("onWrapEnvEnter", "onWrapTaskRun", "onWrapEnvExit"):
        lines += [f"      {hook}:", "        command: \"{{Env.File.Exec}}\"",
                  "        args: [\"{{WrappedAction.Command}}\", \"{{WrappedAction.Args}}\"]",
                  "        timeout: \"{{WrappedAction.Timeout}}\""]
    return _mistake(rng, "\n".join(lines) + "\n")


def _mistake(rng: random.Random, text: str) -> str:
    if rng.random() >= 0.1:
        return text
    mistakes = [("        timeout:", "        timeOut:"), ("{{Param.Quality}}", "{{Param.Qualty}}"),
                ("minValue: 1", "minValue: 9"), ("    command: docker", "    comand: docker"),
                ("dependsOn: ", "dependsOn: Missing"), ("  default: 2\n", "  default: two\n")]
    present = [m for m in mistakes if m[0] in text]
    if not present:
        return text
    old, new = rng.choice(present)
    return text.replace(old, new, 1)


def generate(directory: Path, count: int, seed: int = 0) -> list:
    """Write `count` templates below `directory` (100 per subdirectory); returns their paths in order."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        folder = directory / f"project{number // 100:03}"
        folder.mkdir(parents=True, exist_ok=True)
        if rng.random() < 0.15:
            path, text = folder / f"env{number:05}.yaml", environment_template(rng, number)
        else:
            path, text = folder / f"job{number:05}.yaml", job_template(rng, number)
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = generate(args.directory, args.n, args.seed)
    print(f"{len(paths)} templates in {args.directory}")


if __name__ == "__main__":
    main()
