"""The session a runtime would run for a job, computed without starting anything.

Job parameters are bound (defaults, given values, coercion, constraints), each step's parameter space
is expanded, and every action is listed in session order: environments entered outer to inner, each
step's tasks, environments exited inner to outer. An action inside a wrapping environment is replaced
by its hook, resolved with the `WrappedAction.*` (or draft `Task.*`) values of the action it replaces.
Values only a live run knows (the session directory, embedded file paths, variables exported with
`openjd_env`) get stable placeholders, or real paths under `workdir`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass, field
from typing import Optional

from openjd_lint.expr.library.paths import make_path
from openjd_lint.expr.library.ranges import parse_range
from openjd_lint.expr import types as T
from openjd_lint.expr.values import Float, ListValue, PathValue, RangeValue, make_list, to_string
from openjd_lint.load.tree import to_plain
from openjd_lint.model.capabilities import KIND_WORDS, name_problem
from openjd_lint.model.symbols import EXPR
from openjd_lint.session import parameters as P
from openjd_lint.session.resolver import ResolveError, Resolver
from openjd_lint.session.space import SpaceError, task_parameters, tasks
from openjd_lint.session.stack import (
    EXIT_HOOK, TASK_HOOK, enclosing_environments, job_environments, step_environments, step_name, steps,
)
from openjd_lint.shell import argmax

WORKDIR_PLACEHOLDER = "{SESSION_WORKING_DIRECTORY}"
EXPORTS_NOTE = ("variables exported at run time with `openjd_env` by earlier actions are added to "
                "WrappedAction.Environment and to the process environment; they are not known statically")
DEFAULT_EXIT_TIMEOUT = 300
_SIMPLE = {"bash": (".sh", ()), "python": (".py", ()), "node": (".js", ()), "cmd": (".bat", ("/C",)),
           "powershell": (".ps1", ("-File",))}


class ExpandUsageError(Exception):
    """A request `expand` cannot serve (an unknown parameter or step): a usage error."""


@dataclass
class Problem:
    severity: str  # "error", "warning", "info"
    code: str
    message: str


@dataclass
class Process:
    argv: list
    timeout: Optional[int]  # as declared (WrappedAction.Timeout); None when the action declares none
    cancelation: Optional[dict]

    def effective_timeout(self, key: str) -> Optional[int]:
        if self.timeout is None and key in ("onExit", EXIT_HOOK):
            return DEFAULT_EXIT_TIMEOUT
        return self.timeout


@dataclass
class Action:
    kind: str
    environment: Optional[str]
    step: Optional[str]
    task: Optional[dict]
    wrapped_by: Optional[str] = None
    argv: list = field(default_factory=list)
    timeout: Optional[int] = None
    cancelation: Optional[dict] = None
    wrapped: Optional[dict] = None  # the replaced action: argv, timeout, cancelation, and the hook's variables
    layers: list = field(default_factory=list)  # --allow-nested: every hook, innermost first
    variables: dict = field(default_factory=dict)  # environment variables known statically
    embedded_files: list = field(default_factory=list)

    @property
    def nested(self) -> bool:
        return len(self.layers) > 1


@dataclass
class Expansion:
    platform: str
    workdir: str
    parameters: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    files: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    runnable: set = field(default_factory=set)  # paths of embedded files marked runnable
    origins: dict = field(default_factory=dict)  # job bundles: parameter name -> where its value comes from
    job_fields: dict = field(default_factory=dict)  # job bundles: CreateJob fields set by `deadline:` values

    def error(self, code: str, message: str) -> None:
        self.problems.append(Problem("error", code, message))

    @property
    def failed(self) -> bool:
        return any(problem.severity == "error" for problem in self.problems)


def command_line(argv: list, platform: str) -> str:
    return subprocess.list2cmdline(argv) if platform == "windows" else shlex.join(argv)


def expand(job, given: dict, *, step: Optional[str] = None, task: str = "all", platform: str = "posix",
           workdir: Optional[str] = None, allow_nested: bool = False) -> Expansion:
    """Raises ExpandUsageError for an unknown parameter or step; everything else is a Problem."""
    return _Session(job, given, step, task, platform, workdir, allow_nested).run()


@dataclass
class _Entered:
    environment: object
    resolver: Resolver
    variables: dict


class _Session:
    def __init__(self, job, given, step, task, platform, workdir, allow_nested):
        self.job, self.given, self.only_step, self.task = job, given, step, task
        self.platform, self.allow_nested = platform, allow_nested
        self.real_workdir = workdir is not None
        separator = "\\" if platform == "windows" else "/"
        self.separator = os.sep if self.real_workdir else separator
        self.workdir = os.path.abspath(workdir) if workdir is not None else WORKDIR_PLACEHOLDER
        self.result = Expansion(platform, self.workdir)
        self.entered: list = []

    # --- job creation -------------------------------------------------------------------------

    def run(self) -> Expansion:
        values = self._parameters()
        if self.result.failed:
            return self.result
        rules = self._join(self.workdir, "path-mapping-rules.json")
        if any("PathMappingRulesFile" in c.source.text for c in (self.job, *self.job.enclosing)):
            self.result.files[rules] = '{"version": "pathmapping-1.0", "path_mapping_rules": []}\n'
        values.update({"Session.WorkingDirectory": self._path(self.workdir),
                       "Session.PathMappingRulesFile": self._path(rules), "Session.HasPathMappingRules": False})
        self.base = values
        try:
            job_resolver = Resolver(self.job, values, self._style)
            values["Job.Name"] = job_resolver.text(self.job.plain.get("name", ""))
        except ResolveError as error:
            self.result.error("job-name", f"job name: {error}")
            return self.result
        selected = self._steps()
        try:
            for environment in enclosing_environments(self.job.enclosing) + job_environments(self.job):
                self._enter(environment, None, {})
            for index, node in selected:
                self._run_step(index, node)
            while self.entered:
                self._exit()
        except ResolveError as error:
            self.result.error("evaluation", str(error))
        except SpaceError as error:
            self.result.error("parameter-space", str(error))
        self._check_lengths()
        if any(action.wrapped is not None for action in self.result.actions):
            self.result.notes.append(EXPORTS_NOTE)
        return self.result

    @property
    def _style(self) -> str:
        return "windows" if self.platform == "windows" else "posix"

    def _parameters(self) -> dict:
        merged, conflicts = P.merge([*self.job.enclosing, self.job])
        for conflict in conflicts:
            self.result.error("parameter-merge", conflict.message)
        unknown = sorted(set(self.given) - set(merged))
        if unknown:
            raise ExpandUsageError(f"unknown job parameter {unknown[0]!r} (defined: {', '.join(sorted(merged)) or 'none'})")
        values = {}
        for name, parameter in merged.items():
            if name in self.given:
                raw, origin = self.given[name], "value"
            elif "default" in parameter.definition:
                raw, origin = parameter.definition["default"], "default"
            else:
                self.result.error("parameter-value", f"job parameter '{name}' has no default and no value was given "
                                                     f"(-p {name}=VALUE)")
                continue
            value, error = P.coerce(parameter.type, parameter.definition, raw)
            if error is not None:
                self.result.error("parameter-value", f"job parameter '{name}' ({parameter.type}): {error}")
                continue
            if parameter.type in ("PATH", "LIST[PATH]"):
                base = os.getcwd() if origin == "value" else os.path.dirname(os.path.abspath(
                    parameter.sources[-1].context.source.name))
                value = ([P.resolve_path(v, base) for v in value] if isinstance(value, list)
                         else P.resolve_path(value, base))
            self.result.parameters[name] = value
            values[f"Param.{name}"] = _expression_value(parameter.type, value, self._style)
            raw_value = raw if parameter.type in ("PATH", "LIST[PATH]") and origin == "value" else value
            values[f"RawParam.{name}"] = _expression_value(parameter.type.replace("PATH", "STRING"), raw_value, self._style)
        return values

    def _steps(self) -> list:
        all_steps = steps(self.job)
        if self.only_step is not None:
            chosen = [(i, node) for i, node in all_steps if step_name(node) == self.only_step]
            if not chosen:
                names = ", ".join(step_name(node) for _, node in all_steps)
                raise ExpandUsageError(f"no step named {self.only_step!r} (steps: {names})")
            return chosen
        return _dependency_order(all_steps)

    # --- environments -------------------------------------------------------------------------

    def _environment_resolver(self, environment, step_values: dict, step_lets) -> Resolver:
        context = environment.context
        resolver = Resolver(context, self.base, self._style).with_values(step_values).bind(step_lets)
        files = self._embedded_paths(environment.node.get("script"), f"env-{environment.name}")
        return resolver.with_values({f"Env.File.{name}": self._path(path) for name, path in files.items()})

    def _enter(self, environment, step: Optional[str], step_values: dict, step_lets=()) -> None:
        plain = to_plain(environment.node)
        resolver = self._environment_resolver(environment, step_values, step_lets)
        variables = {}
        for key, text in (plain.get("variables") or {}).items():
            variables[str(key)] = resolver.text(text)
        script = plain.get("script") or {}
        resolver = resolver.bind(script.get("let"))
        self.entered.append(_Entered(environment, resolver, variables))
        written = self._write_embedded(script, f"env-{environment.name}", resolver)
        action = (script.get("actions") or {}).get("onEnter")
        if isinstance(action, dict):
            self._emit("env_enter", environment, step, None, action, resolver, "onEnter", written,
                       wrappers=self._wrappers(exclude=environment))

    def _exit(self) -> None:
        entered = self.entered[-1]
        environment = entered.environment
        action = ((to_plain(environment.node).get("script") or {}).get("actions") or {}).get("onExit")
        if isinstance(action, dict):
            step = step_name(self._current_step) if environment.level == "step" else None
            self._emit("env_exit", environment, step, None, action, entered.resolver, "onExit", [],
                       wrappers=self._wrappers(exclude=environment))
        self.entered.pop()

    def _wrappers(self, exclude=None) -> list:
        """The wrapping environments around an action, innermost first (an environment never wraps its own)."""
        return [e for e in reversed(self.entered) if e.environment.wraps and e.environment is not exclude]

    # --- steps and tasks ----------------------------------------------------------------------

    def _run_step(self, index: int, node) -> None:
        self._current_step = node
        plain = to_plain(node)
        name = step_name(node)
        step_values = {"Step.Name": name} if EXPR in self.job.extensions else {}
        step_lets = plain.get("let")
        template = Resolver(self.job, self.base, self._style, host=False).with_values(step_values).bind(step_lets)
        self._check_capability_names(plain, name, template)
        space = plain.get("parameterSpace") or {}
        parameters = task_parameters(space, template.value)
        all_tasks = tasks(parameters, space.get("combination"))
        selected = self._select(all_tasks, name)
        depth = len(self.entered)
        for environment in step_environments(self.job, index, node):
            self._enter(environment, name, step_values, step_lets)
        types = {parameter.name: parameter.type for parameter in parameters}
        for number, values in selected:
            self._run_task(plain, name, number, values, types, step_values, step_lets)
        while len(self.entered) > depth:
            self._exit()

    def _check_capability_names(self, step: dict, name: str, template: Resolver) -> None:
        """Capability names that are format strings, resolved as job creation resolves them."""
        requirements = step.get("hostRequirements")
        for kind, prefix in (("amounts", "amount"), ("attributes", "attr")):
            for requirement in (requirements.get(kind) or []) if isinstance(requirements, dict) else []:
                text = requirement.get("name") if isinstance(requirement, dict) else None
                if not isinstance(text, str) or "{{" not in text:
                    continue
                resolved = template.text(text)
                problem = name_problem(resolved, prefix)
                if problem is not None:
                    self.result.error("host-requirements", f"step '{name}': the capability name {text!r} resolves "
                                      f"to {resolved!r}, which is not a valid {KIND_WORDS[prefix]} name: {problem}")

    def _select(self, all_tasks: list, step: str) -> list:
        numbered = list(enumerate(all_tasks))
        if self.task == "all":
            return numbered
        number = int(self.task)
        if not 0 <= number < len(all_tasks):
            self.result.error("task", f"step '{step}' has {len(all_tasks)} task(s); there is no task {number}")
            return []
        return [numbered[number]]

    def _run_task(self, step: dict, name: str, number: int, values: dict, types: dict, step_values: dict,
                  step_lets) -> None:
        task_values = dict(step_values)
        for parameter, value in values.items():
            task_values[f"Task.Param.{parameter}"] = value
            task_values[f"Task.RawParam.{parameter}"] = value.text if isinstance(value, PathValue) else value
        resolver = Resolver(self.job, self.base, self._style).with_values(task_values).bind(step_lets)
        owner = f"task-{name}-{number}"
        simple = next((key for key in _SIMPLE if isinstance(step.get(key), dict)), None)
        if simple is not None:
            action, resolver, written = self._simple_action(step[simple], simple, resolver, owner)
        else:
            script = step.get("script") or {}
            files = self._embedded_paths_plain(script, owner)
            resolver = resolver.with_values({f"Task.File.{n}": self._path(p) for n, p in files.items()})
            resolver = resolver.bind(script.get("let"))
            written = self._write_embedded(script, owner, resolver)
            action = (script.get("actions") or {}).get("onRun") or {}
        shown = {parameter: _plain(value) for parameter, value in values.items()}
        self._emit("task_run", None, name, shown, action, resolver, "onRun", written, wrappers=self._wrappers())

    def _simple_action(self, simple: dict, key: str, resolver: Resolver, owner: str):
        suffix, leading = _SIMPLE[key]
        path = self._join(self.workdir, "embedded", _safe(owner), f"script{suffix}")
        resolver = resolver.bind(simple.get("let"))
        self.result.files[path] = resolver.text(simple.get("script", ""))
        self.result.runnable.add(path)
        action = {"command": key, "args": [*leading, path, *(simple.get("args") or [])]}
        for optional in ("timeout", "cancelation"):
            if optional in simple:
                action[optional] = simple[optional]
        return action, resolver, [path]

    # --- actions ------------------------------------------------------------------------------

    def _emit(self, kind, environment, step, task, action: dict, resolver: Resolver, key: str, written: list,
              wrappers: list) -> None:
        process = self._process(action, resolver, key)
        final_key = key
        record = Action(kind, environment.name if environment is not None else None, step, task,
                        embedded_files=written, variables=self._variables())
        active = [w for w in wrappers if w.environment.wrapped_hook(key) is not None]
        if len(active) > 1 and not self.allow_nested:
            names = ", ".join(f"'{w.environment.name}'" for w in reversed(active))
            self.result.error("nested-wrapping", f"{kind} of {_subject(record)} is inside {len(active)} wrapping "
                                                 f"environments ({names}); RFC 0008 allows one (--allow-nested shows "
                                                 "the composition anyway)")
            active = active[:1]
        if active:
            record.wrapped = {"argv": process.argv, "timeout": process.timeout, "cancelation": process.cancelation}
        for wrapper in active:
            hook = wrapper.environment.wrapped_hook(key)
            subject = environment.name if environment is not None else step
            wrapped_values = self._wrapped_values(wrapper, hook, process, key, subject)
            hook_action = to_plain(wrapper.environment.action(hook))
            process = self._process(hook_action, wrapper.resolver.with_values(wrapped_values), hook)
            final_key = hook
            record.layers.append({"hook": f"{wrapper.environment.name}.{hook}",
                                  "values": {k: _plain(v) for k, v in wrapped_values.items()}})
        if active:
            record.wrapped_by = record.layers[-1]["hook"]
            record.wrapped["values"] = record.layers[0]["values"]
        record.argv, record.timeout, record.cancelation = process.argv, process.effective_timeout(final_key), \
            process.cancelation
        self.result.actions.append(record)

    def _process(self, action: dict, resolver: Resolver, key: str) -> Process:
        command = resolver.text(action.get("command", ""))
        argv = [command, *resolver.args(action.get("args"))]
        timeout = resolver.value(action["timeout"], "int?") if "timeout" in action else None
        cancelation = self._cancelation(action.get("cancelation"), resolver, key)
        return Process(argv, timeout, cancelation)

    def _cancelation(self, cancelation, resolver: Resolver, key: str) -> Optional[dict]:
        if not isinstance(cancelation, dict):
            return None
        mode = resolver.value(cancelation.get("mode"), "string?")
        if mode is None:
            return None
        if mode not in ("TERMINATE", "NOTIFY_THEN_TERMINATE"):
            raise ResolveError(f"cancelation mode resolves to {mode!r}; it must be TERMINATE or NOTIFY_THEN_TERMINATE")
        if mode == "TERMINATE":
            return {"mode": mode}
        period = resolver.value(cancelation["notifyPeriodInSeconds"], "int?") \
            if "notifyPeriodInSeconds" in cancelation else None
        if period is None:
            period = 120 if key in ("onRun", TASK_HOOK) else 30
        return {"mode": mode, "notifyPeriodInSeconds": period}

    def _wrapped_values(self, wrapper: _Entered, hook: str, process: Process, key: str, subject: str) -> dict:
        environment = [f"{name}={value}" for name, value in self._variables().items()]
        cancelation = process.cancelation or {}
        if wrapper.environment.uses_draft:
            return {"Task.Command": process.argv[0], "Task.Args": make_list(process.argv[1:], T.STRING),
                    "Task.Environment": make_list(environment, T.STRING), "Env.Action.Timeout": process.timeout}
        values = {
            "WrappedAction.Command": process.argv[0],
            "WrappedAction.Args": make_list(process.argv[1:], T.STRING),
            "WrappedAction.Environment": make_list(environment, T.STRING),
            "WrappedAction.Timeout": process.timeout,
            "WrappedAction.Cancelation.Mode": cancelation.get("mode"),
            "WrappedAction.Cancelation.NotifyPeriodInSeconds": cancelation.get("notifyPeriodInSeconds"),
        }
        values["WrappedStep.Name" if hook == TASK_HOOK else "WrappedEnv.Name"] = subject
        return values

    def _variables(self) -> dict:
        merged = {}
        for entered in self.entered:
            merged.update(entered.variables)
        return merged

    # --- embedded files -----------------------------------------------------------------------

    def _embedded_paths(self, script_node, owner: str) -> dict:
        return self._embedded_paths_plain(to_plain(script_node) if script_node is not None else {}, owner)

    def _embedded_paths_plain(self, script, owner: str) -> dict:
        paths = {}
        for embedded in (script or {}).get("embeddedFiles") or []:
            if isinstance(embedded, dict) and isinstance(embedded.get("name"), str):
                filename = embedded.get("filename") or embedded["name"]
                paths[embedded["name"]] = self._join(self.workdir, "embedded", _safe(owner), _safe(str(filename)))
        return paths

    def _write_embedded(self, script: dict, owner: str, resolver: Resolver) -> list:
        written = []
        paths = self._embedded_paths_plain(script, owner)
        for embedded in (script or {}).get("embeddedFiles") or []:
            if not isinstance(embedded, dict) or embedded.get("name") not in paths:
                continue
            path = paths[embedded["name"]]
            text = resolver.text(embedded.get("data", ""))
            ending = embedded.get("endOfLine", "AUTO")
            if ending == "CRLF" or (ending == "AUTO" and self.platform == "windows"):
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self.result.files[path] = text
            if embedded.get("runnable") is True:
                self.result.runnable.add(path)
            written.append(path)
        return written

    def _join(self, *parts: str) -> str:
        return self.separator.join([parts[0].rstrip("/\\"), *parts[1:]])

    def _path(self, text: str) -> PathValue:
        return make_path(text, self._style)

    # --- limits -------------------------------------------------------------------------------

    def _check_lengths(self) -> None:
        for index, action in enumerate(self.result.actions):
            if self.platform == "windows":
                limits = [argmax.WINDOWS_COMMAND_LINE]
                if os.path.basename(action.argv[0]).lower() in ("cmd", "cmd.exe"):
                    limits.append(argmax.CMD_COMMAND_LINE)
            else:
                limits = list(argmax.POSIX_LIMITS)
            for limit, size in argmax.exceeded(action.argv, limits):
                by = f" (the command of hook {action.wrapped_by})" if action.wrapped_by else ""
                self.result.error("argument-list-too-long",
                                  f"action {index + 1}, {action.kind} of {_subject(action)}{by}: {size} {limit.unit} "
                                  f"exceed the {limit.platform} limit for {limit.description} ({limit.size})")


def _subject(action: Action) -> str:
    if action.kind == "task_run":
        return f"step '{action.step}' task {action.task}"
    return f"environment '{action.environment}'"


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name) or "_"


def _dependency_order(all_steps: list) -> list:
    """Steps in template order, each after the steps it depends on."""
    by_name = {step_name(node): (i, node) for i, node in all_steps}
    ordered, done, visiting = [], set(), set()

    def visit(item) -> None:
        name = step_name(item[1])
        if name in done or name in visiting:
            return
        visiting.add(name)
        for dependency in to_plain(item[1]).get("dependencies") or []:
            target = by_name.get(dependency.get("dependsOn")) if isinstance(dependency, dict) else None
            if target is not None:
                visit(target)
        visiting.discard(name)
        done.add(name)
        ordered.append(item)

    for item in all_steps:
        visit(item)
    return ordered


def _expression_value(kind: str, value, style: str):
    if kind == "PATH":
        return make_path(value, style)
    if kind == "FLOAT":
        return Float(float(value))
    if kind == "RANGE_EXPR":
        return parse_range(value)
    if kind.startswith("LIST["):
        element = kind[5:-1]
        return make_list([_expression_value(element, item, style) for item in value])
    return value


def _plain(value):
    if isinstance(value, Float):
        return value.value
    if isinstance(value, PathValue):
        return value.text
    if isinstance(value, RangeValue):
        return value.render()
    if isinstance(value, ListValue):
        return [_plain(item) for item in value.items]
    return value if value is None or isinstance(value, (bool, int, str)) else to_string(value)
