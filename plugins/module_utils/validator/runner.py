# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner of ``statefulset_validate``: the flow of one run.

``run_module`` is what the module hands off to (like kubernetes.core's
``k8s.runner.run_module``): it checks the options, builds the clients, runs a
``Validation``, writes the report files and ends the module with ``module_answer``.
Errors leave it as ``CoreException``, for the module's one handler.

``Validation`` drives one run through a ``StatefulSetClient`` and a DNS probe (the only
I/O: ``DnsProbe`` asks a resolver this host reaches, ``ApiDnsProbe`` the cluster DNS through
the API server; ``make_probe`` picks one), with the clocks injected so that tests can drive
it; the decisions are the pure functions of the check files and of ``verdict``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gc
import os
import tempfile
import time

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_native
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.exceptions import CoreException
from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import parse_selector_terms, selector_string
from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import ApiException, StatefulSetClient
from ansible_collections.stateful.nfs.plugins.module_utils.validator.completion import rollout_status
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns import dns_plan
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_pod import DnsPathError
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_probe import (
    DnsProbe,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.options import (
    check_params,
    dns_transport,
    selected_checks,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.order_watch import controller_deletes_since
from ansible_collections.stateful.nfs.plugins.module_utils.validator.storage import normalize_expected_volumes
from ansible_collections.stateful.nfs.plugins.module_utils.validator.verdict import evaluation, module_answer

# The port-forward path (dns_transport=api) imports kubernetes.client's CoreV1Api, which builds the
# client's pydantic models: about 0.4 s, more than everything else the module imports. Its names are
# imported when first used (PEP 562), so a run on the direct path never pays for them.
PORTFORWARD_NAMES = ("HAS_PORTFORWARD", "PORTFORWARD_IMPORT_ERROR", "ApiDnsProbe", "ClusterDns")


def __getattr__(name):
    if name not in PORTFORWARD_NAMES:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ansible_collections.stateful.nfs.plugins.module_utils.validator import portforward
    value = globals()[name] = getattr(portforward, name)
    return value


def lazy(name):
    """A name of the port-forward path: as set on this module (tests replace them), else imported now."""
    return globals()[name] if name in globals() else __getattr__(name)


def missing_libraries(params):
    """The Python libraries the selected checks need and this host lacks: ``[(name, traceback)]``."""
    missing = []
    if "dns" in params["checks"] and dns_transport(params) == "api" and not lazy("HAS_PORTFORWARD"):
        missing.append(("kubernetes (kubernetes.stream and websocket-client, for dns_transport=api)",
                        lazy("PORTFORWARD_IMPORT_ERROR")))
    return missing


def make_probe(params, lister, dynamic_client):
    """The DNS probe of ``dns_transport``: ``DnsProbe`` to ``dns_server``, or ``ApiDnsProbe`` to a
    cluster DNS pod through the API server (``lister`` lists its pods; the port-forward goes through
    the API client of kubernetes.core's ``dynamic_client``)."""
    if dns_transport(params) == "direct":
        return DnsProbe(params["dns_server"], params["dns_port"], params["dns_timeout"])
    terms = parse_selector_terms(params["dns_pod_label_selectors"], "dns_pod_label_selectors")
    return lazy("ApiDnsProbe")(lazy("ClusterDns")(lister, dynamic_client), params["dns_pod_namespace"], terms,
                               params["dns_pod_port"], params["dns_timeout"])


def unreadable_kubeconfig(kubeconfig, exists=os.path.exists):
    """The ``kubeconfig`` option when it names files of which none exists, else None.

    Like the Kubernetes client, a string is a list of paths separated by ``os.pathsep``, each with
    ``~`` expanded; a dict is an in-memory configuration. The client's own error for a missing file
    ("No configuration found") does not say which path it tried."""
    if not isinstance(kubeconfig, str) or not kubeconfig:
        return None
    paths = [os.path.expanduser(path) for path in kubeconfig.split(os.pathsep) if path]
    if paths and not any(exists(path) for path in paths):
        return kubeconfig
    return None


def api_client(module):
    """kubernetes.core's client for the module's auth options; a kubeconfig that does not exist is
    named in the error."""
    try:
        return get_api_client(module)
    except CoreException as exc:
        missing = unreadable_kubeconfig(module.params.get("kubeconfig"))
        if missing is None:
            raise
        raise CoreException("kubeconfig: no such file: %s (%s)" % (missing, to_native(exc))) from exc


def run_module(module):
    """One ``statefulset_validate`` run on an ``AnsibleK8SModule``; ends it with exit_json or fail_json."""
    # A run allocates tens of thousands of containers (the lists' JSON, the per-pod results) that
    # live until it ends and hold no cycles: the cyclic collector's passes over them free nothing
    # and cost about 0.1 s of a 1,000-pod run (measured). Reference counting still frees them.
    # What the imports made lives as long as the process: frozen, no pass looks at it again, the
    # one at the interpreter's exit included (0.04 s).
    gc.freeze()
    gc.disable()
    try:
        _validate_and_answer(module)
    finally:
        gc.enable()


def _validate_and_answer(module):
    params = module.params
    for library, error in missing_libraries(params):
        module.fail_json(msg=missing_required_lib(library), exception=error)
    try:
        check_params(params)
        client = api_client(module)
        lister = StatefulSetClient(client.client)
        validation = Validation(params, lister, make_probe(params, lister, client.client),
                                check_mode=module.check_mode)
        result = validation.run()
    except ValueError as exc:
        raise CoreException(to_native(exc)) from exc
    except DnsPathError as exc:
        raise CoreException("dns check: %s" % to_native(exc)) from exc
    except ApiException as exc:
        raise CoreException("Kubernetes API error: %s %s" % (exc.status, exc.reason)) from exc
    files = validation.reports(result) if result is not None else {}
    for path, text in files.items():
        write_file(path, text)
    failed, fields = module_answer(params, result, files, module.check_mode)
    if failed:
        module.fail_json(**fields)
    module.exit_json(**fields)


def write_file(path, text):
    """Write ``text`` to ``path`` atomically (a temporary file in the same directory, then a
    rename), creating the directory; the file gets mode 0644 less the umask."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        os.makedirs(directory)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".statefulset_validate.")
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o644 & ~umask)
    os.replace(tmp, path)


def is_change(kind, kind_type, item, before, first_generation):
    """Is a watch event a change of the rollout (not status noise)?"""
    if kind == "StatefulSet":
        return kind_type in ("ADDED", "DELETED") or obj.meta(item).get("generation") != first_generation
    if kind_type in ("ADDED", "DELETED") or before is None:
        return True
    return (obj.is_ready(item) != obj.is_ready(before)
            or obj.is_terminating(item) != obj.is_terminating(before)
            or obj.meta(item).get("uid") != obj.meta(before).get("uid"))


class Validation:
    """One run: (watch or wait), snapshot, DNS, verdict, report files."""

    def __init__(self, params, client, probe, check_mode=False, clock=time.time, monotonic=time.monotonic):
        self.params = params
        self.client = client
        self.probe = probe
        self.check_mode = check_mode
        self.clock = clock
        self.monotonic = monotonic

    def _follow(self, timeout, record):
        """Follow pod and StatefulSet watch events until the rollout is complete (after a
        change, when ``record``) or ``timeout``. Returns what was seen."""
        p = self.params
        started_m = self.monotonic()
        started = self.clock()
        deadline = started_m + timeout
        sts, pods, versions = self.client.initial_state(p["namespace"], p["name"])
        first_generation = obj.meta(sts).get("generation") if sts else None
        records, seq = [], 0
        if record and sts is not None:
            records.append({"seq": seq, "time": started, "kind": "StatefulSet", "type": "INITIAL", "object": sts})
        current = dict((obj.meta(x).get("name"), x) for x in pods)
        if record:
            for pod in obj.owned_pods(sts, pods) if sts else []:
                seq += 1
                records.append({"seq": seq, "time": started, "kind": "Pod", "type": "INITIAL",
                                "object": obj.slim_pod(pod)})
        changed = False
        status = rollout_status(sts, list(current.values()), self.clock()) if sts else None
        if status and status["complete"] and not record:
            return {"complete": True, "timed_out": False, "elapsed": self.monotonic() - started_m,
                    "records": records, "started": started}
        selector = selector_string(obj.spec(sts).get("selector")) if sts else None
        wake = [status["recheck_at"] if status else None]
        stream = self.client.stream(p["namespace"], p["name"], selector, versions, deadline, wake)
        complete = False
        try:
            for batch in stream:
                for kind, kind_type, item, when in batch:
                    if kind == "StatefulSet":
                        changed = changed or is_change(kind, kind_type, item, None, first_generation)
                        sts = None if kind_type == "DELETED" else item
                    elif kind == "Pod":
                        key = obj.meta(item).get("name")
                        if obj.pod_ordinal(item, p["name"]) is None:
                            continue
                        changed = changed or is_change(kind, kind_type, item, current.get(key), None)
                        if kind_type == "DELETED":
                            current.pop(key, None)
                        else:
                            current[key] = item
                    else:
                        continue
                    if record:
                        seq += 1
                        records.append({"seq": seq, "time": when, "kind": kind, "type": kind_type,
                                        "object": item if kind == "StatefulSet" else obj.slim_pod(item)})
                if sts is None:
                    continue
                status = rollout_status(sts, list(current.values()), self.clock())
                wake[0] = status["recheck_at"]
                if status["complete"] and (changed or not record):
                    complete = True
                    break
        finally:
            stream.close()
        elapsed = self.monotonic() - started_m
        return {"complete": complete, "timed_out": not complete, "elapsed": elapsed, "records": records,
                "started": started, "changed": changed}

    def run(self):
        """One run; the result carries ``_durations``: the measured seconds of each selected check (its
        own reads, its DNS questions, the wait or the watch it needed, and its evaluation) and of the
        whole run, for the JUnit report."""
        p = self.params
        check_params(p)
        run_started = self.monotonic()
        selected = selected_checks(p)
        spent = dict((check, 0.0) for check in selected)
        watch = waited = None
        if not self.check_mode:
            if p["mode"] == "watch":
                seen = self._follow(p["watch_timeout"], record=True)
                watch = {"records": seen["records"], "started": seen["started"], "ended": self.clock()}
                waited = seen
            elif p["wait"]:
                waited = self._follow(p["wait_timeout"], record=False)
        if waited is not None:
            # the watch records the order evidence; a wait serves the completion check
            owner = "order" if watch is not None and "order" in spent else "completion"
            if owner in spent:
                spent[owner] += waited["elapsed"]

        def ask_dns(sts, service, pods):
            # called as soon as the pods are read, while the other checks' reads go on
            started = self.monotonic()
            plan = dns_plan(sts, service, pods, p["cluster_domain"])
            return plan, self.probe.resolve(plan["queries"]), self.monotonic() - started

        shot = self.client.snapshot(p["namespace"], p["name"], selected,
                                    with_pods=ask_dns if "dns" in selected else None)
        if shot["statefulset"] is None:
            return None
        for check, seconds in (shot.get("read_seconds") or {}).items():
            if check in spent:
                spent[check] += seconds
        if shot["statefulset"] is not None and p.get("expected_volumes"):
            normalize_expected_volumes(p["expected_volumes"], [t[0] for t in obj.claim_templates(shot["statefulset"])])
        if watch is not None and "order" in selected:
            watch["controller_deletes"] = controller_deletes_since(shot["events"], p["name"], watch["started"])
        answers = plan = source = None
        if "dns" in selected:
            plan, answers, seconds = shot["with_pods"]
            source = getattr(self.probe, "source", None)
            spent["dns"] += seconds
        steps, finish = evaluation(p, shot, answers, watch, waited, plan, source)
        for check, step in steps:
            started = self.monotonic()
            step()
            spent[check] += self.monotonic() - started
        result = finish()
        if watch is not None:
            result["watch"] = {"started": obj.format_time(watch["started"]), "ended": obj.format_time(watch["ended"]),
                               "records": len(watch["records"]), "stopped": "complete" if waited["complete"]
                               else "watch_timeout"}
        result["_durations"] = {"checks": spent, "run": self.monotonic() - run_started}
        return result

    def reports(self, result):
        """The report files to write: ``{path: text}`` (none in check mode)."""
        files = {}
        if self.check_mode:
            return files
        end = self.clock()
        # the report writers are imported only when a report is asked for
        if self.params.get("junit_path"):
            from ansible_collections.stateful.nfs.plugins.module_utils.validator.junit import junit_xml
            files[self.params["junit_path"]] = junit_xml(result)
        if self.params.get("svg_path"):
            from ansible_collections.stateful.nfs.plugins.module_utils.validator.svg import svg_timeline
            files[self.params["svg_path"]] = svg_timeline(dict(result, timeline=result["_timeline"]), end)
        return files
