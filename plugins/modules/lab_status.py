#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: lab_status
short_description: Tell whether the running lab already is what its inputs describe
version_added: 0.2.0
description:
  - One read-only look at a lab of the P(stateful.nfs.lab#role) role, so that a run on a lab that is up and
    unchanged can skip every converge step. It checks, in one process, the built binaries, directories, the
    link to the binaries, the content of the files the role writes, each process (its pid file names a live
    process of that program, started with the arguments recorded beside it, which must be the ones it would
    be started with now), the API server's C(/readyz), the other components' C(/healthz), the cluster DNS
    answer, and each object the role applies (every field the role sets has that value in the cluster;
    nodes and pods Ready).
  - Each problem found is a sentence naming what is wrong; O(ignore:converged) is true when there is none.
    It changes nothing, and a problem is a result, not a failure; the module fails only on options it
    cannot check (naming the option).
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  platform:
    support: full
    platforms: posix
    details: Linux (reads C(/proc)). The lab runs on the host itself, so addresses are loopback ones.
  check_mode:
    support: full
    details: It only reads; the same in check mode.
  diff_mode:
    support: none
options:
  binaries:
    description: Executable files that must exist (the built binaries).
    type: list
    elements: path
    default: []
  directories:
    description: Directories that must exist, with their mode.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The directory.
        type: path
        required: true
      mode:
        description: Its permission bits as an octal string, for example C("0700"); not checked when omitted.
        type: str
  links:
    description: Symbolic links that must point at a target.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The link.
        type: path
        required: true
      target:
        description: What it must point at (compared as written in the link).
        type: str
        required: true
  files:
    description: Files that must exist with a given content (configuration, fingerprints).
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The file.
        type: path
        required: true
      checksum:
        description: SHA-1 (hex) of the content it must have.
        type: str
        required: true
  processes:
    description: Processes that must run with given arguments.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Program name (compared as the kernel truncates it to 15 characters).
        type: str
        required: true
      pid_file:
        description: Its pid file.
        type: path
        required: true
      args_file:
        description: The file in which the arguments of the running process were recorded when it started.
        type: path
        required: true
      args:
        description: The arguments it would be started with now, in the form of O(processes.args_file).
        type: str
        required: true
  api:
    description:
      - The API server, reached with a client certificate. Its C(/readyz) must answer 200, and
        O(objects) are read from it. Without it, O(objects) must be empty.
    type: dict
    suboptions:
      url:
        description: Its base URL, for example C(https://127.0.0.1:16443).
        type: str
        required: true
      ca_path:
        description: CA certificate that signed its serving certificate.
        type: path
        required: true
      client_cert:
        description: Client certificate.
        type: path
        required: true
      client_key:
        description: Key of the client certificate.
        type: path
        required: true
  health_urls:
    description:
      - HTTPS health endpoints (C(/healthz) of kube-controller-manager and kube-scheduler) that must answer 200.
        Their self-signed serving certificates are not verified; use loopback addresses only.
    type: list
    elements: str
    default: []
  objects:
    description:
      - Kubernetes objects as the role applies them. Each must exist with every field given; Nodes and Pods
        must also be Ready. Kinds read are v1 Node, Pod, Service, ServiceAccount, ConfigMap, Namespace and
        rbac.authorization.k8s.io/v1 ClusterRole, ClusterRoleBinding, Role, RoleBinding.
    type: list
    elements: dict
    default: []
  dns:
    description: A DNS question that must be answered with one address (UDP).
    type: dict
    suboptions:
      server:
        description: Address of the DNS server.
        type: str
        required: true
      port:
        description: Its port.
        type: int
        default: 53
      name:
        description: The name asked (type A).
        type: str
        required: true
      address:
        description: The address the answer must hold.
        type: str
        required: true
  timeout:
    description: Seconds each network request may take.
    type: float
    default: 5
seealso:
  - module: stateful.nfs.pidfile_processes
"""

EXAMPLES = r"""
- name: Check the running lab against its inputs
  stateful.nfs.lab_status:
    binaries: [/opt/lab/bin/etcd, /opt/lab/bin/kube-apiserver]
    processes:
      - name: etcd
        pid_file: /var/lib/lab/run/etcd.pid
        args_file: /var/lib/lab/run/etcd.args
        args: "/opt/lab/bin/etcd\n--data-dir=/var/lib/lab/etcd\n"
    api:
      url: https://127.0.0.1:16443
      ca_path: /var/lib/lab/pki/ca.crt
      client_cert: /var/lib/lab/pki/admin.crt
      client_key: /var/lib/lab/pki/admin.key
    dns: {server: 127.0.0.1, port: 10053, name: kubernetes.default.svc.cluster.local, address: 10.96.0.1}
  register: lab_status

- name: Converge only when something is wrong
  ansible.builtin.include_tasks: converge.yml
  when: not lab_status.converged
"""

RETURN = r"""
converged:
  description: Whether nothing is wrong (O(ignore:problems) is empty).
  returned: always
  type: bool
  sample: false
problems:
  description: Every problem found, in the order of the sections below.
  returned: always
  type: list
  elements: str
  sample: ["kube-scheduler: not running"]
binaries:
  description: Problems of O(binaries) (missing or not executable).
  returned: always
  type: list
  elements: str
  sample: []
directories:
  description: Problems of O(directories).
  returned: always
  type: list
  elements: str
  sample: []
links:
  description: Problems of O(links).
  returned: always
  type: list
  elements: str
  sample: []
files:
  description: Problems of O(files) (missing, or another content).
  returned: always
  type: list
  elements: str
  sample: ["/var/lib/lab/Corefile: content differs from what the role writes"]
restart:
  description: Names of the O(processes) with a problem (not running, or running with other arguments).
  returned: always
  type: list
  elements: str
  sample: [kube-scheduler]
processes:
  description: Problems of O(processes).
  returned: always
  type: list
  elements: str
  sample: ["kube-scheduler: not running"]
health:
  description: Problems of the API server's readiness, O(health_urls) and O(dns).
  returned: always
  type: list
  elements: str
  sample: ["https://127.0.0.1:20259/healthz: connection refused"]
objects:
  description: Problems of O(objects) (missing, a field with another value, not Ready, or not readable).
  returned: always
  type: list
  elements: str
  sample: ["Node node1 differs: metadata.annotations.lab.stateful.nfs/max-pods: wanted '4096', found '110'"]
"""

import hashlib
import http.client as http_client
import json
import os
import socket
import ssl
from urllib.parse import urlparse

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.processes import PidFileProcesses
from ansible_collections.stateful.nfs.plugins.module_utils.lab import status
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_probe import query_wire
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_wire import (
    RDTYPES,
    WireError,
    answer_values,
    parse_reply,
)


def sha1_of(path):
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except (IOError, OSError):
        return None


def read_text(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return None


def directory_mode(path):
    if not os.path.isdir(path):
        return None
    return os.stat(path).st_mode & 0o7777


def link_target(path):
    try:
        return os.readlink(path)
    except OSError:
        return None


def check_local(params):
    """The sections read from the file system and /proc, and the names of the processes to (re)start."""
    found = PidFileProcesses()
    processes = [(p["name"], status.process_problem(p["name"], found.find(p) is not None, read_text(p["args_file"]),
                                                    p["args"]))
                 for p in params["processes"]]
    return [
        ("binaries", ["%s: missing or not executable" % path for path in params["binaries"]
                      if not (os.path.isfile(path) and os.access(path, os.X_OK))]),
        ("directories", [status.directory_problem(d["path"], directory_mode(d["path"]), d["mode"])
                         for d in params["directories"]]),
        ("links", [status.link_problem(link["path"], link_target(link["path"]), link["target"])
                   for link in params["links"]]),
        ("files", [status.file_problem(f["path"], sha1_of(f["path"]), f["checksum"]) for f in params["files"]]),
        ("processes", [problem for _name, problem in processes]),
    ], [name for name, problem in processes if problem]


class Api(object):
    """GETs on one connection to the API server (client certificate, CA verified)."""

    def __init__(self, api, timeout):
        url = urlparse(api["url"])
        context = ssl.create_default_context(cafile=api["ca_path"])
        context.load_cert_chain(api["client_cert"], api["client_key"])
        self.connection = http_client.HTTPSConnection(url.hostname, url.port or 443, timeout=timeout, context=context)

    def get(self, path):
        """``(status, body)``."""
        self.connection.request("GET", path, headers={"Accept": "application/json"})
        response = self.connection.getresponse()
        return response.status, response.read()

    def close(self):
        self.connection.close()


def url_status(url, timeout):
    """The HTTP status of a GET of a loopback HTTPS health endpoint (certificate not verified)."""
    parsed = urlparse(url)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http_client.HTTPSConnection(parsed.hostname, parsed.port or 443, timeout=timeout, context=context)
    try:
        connection.request("GET", parsed.path or "/")
        return connection.getresponse().status
    finally:
        connection.close()


def dns_problem(question, timeout):
    """Whether the DNS server answers the name with the address (one UDP question)."""
    where = "DNS %s:%d %s" % (question["server"], question["port"], question["name"])
    sock = socket.socket(socket.AF_INET6 if ":" in question["server"] else socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.settimeout(timeout)
        sock.sendto(query_wire(question["name"], RDTYPES["A"], os.getpid() & 0xFFFF),
                    (question["server"], question["port"]))
        reply = parse_reply(sock.recv(65535), RDTYPES["A"])
    except (socket.error, WireError) as exc:
        return "%s: no answer (%s)" % (where, exc)
    finally:
        sock.close()
    addresses = answer_values(reply, RDTYPES["A"])["values"]
    if question["address"] not in addresses:
        return "%s: answered %s, wanted %s" % (where, addresses or "nothing", question["address"])
    return None


def check_remote(params, paths):
    """The sections read over the network: health (readyz, healthz, DNS) and objects."""
    health, objects = [], []
    api = None
    if params["api"]:
        try:
            api = Api(params["api"], params["timeout"])
            code, _body = api.get("/readyz")
            if code != 200:
                health.append("%s/readyz: HTTP %d" % (params["api"]["url"], code))
        except (IOError, OSError, ssl.SSLError, http_client.HTTPException) as exc:
            health.append("%s/readyz: %s" % (params["api"]["url"], exc))
            api = None
    for url in params["health_urls"]:
        try:
            code = url_status(url, params["timeout"])
            if code != 200:
                health.append("%s: HTTP %d" % (url, code))
        except (IOError, OSError, ssl.SSLError, http_client.HTTPException) as exc:
            health.append("%s: %s" % (url, exc))
    if params["dns"]:
        health.append(dns_problem(params["dns"], params["timeout"]))
    try:
        for wanted, path in zip(params["objects"], paths):
            if api is None:
                objects.append("%s: not read (the API server is not ready)" % status.describe(wanted))
                continue
            try:
                code, body = api.get(path)
            except (IOError, OSError, http_client.HTTPException) as exc:
                objects.append("%s: not read (%s)" % (status.describe(wanted), exc))
                api = None
                continue
            if code not in (200, 404):
                objects.append("%s: not read (HTTP %d)" % (status.describe(wanted), code))
                continue
            objects.append(status.object_problem(wanted, json.loads(body) if code == 200 else None))
    finally:
        if api is not None:
            api.close()
    return [("health", health), ("objects", objects)]


def main():
    module = AnsibleModule(
        argument_spec=dict(
            binaries=dict(type="list", elements="path", default=[]),
            directories=dict(type="list", elements="dict", default=[], options=dict(
                path=dict(type="path", required=True), mode=dict(type="str"))),
            links=dict(type="list", elements="dict", default=[], options=dict(
                path=dict(type="path", required=True), target=dict(type="str", required=True))),
            files=dict(type="list", elements="dict", default=[], options=dict(
                path=dict(type="path", required=True), checksum=dict(type="str", required=True))),
            processes=dict(type="list", elements="dict", default=[], options=dict(
                name=dict(type="str", required=True), pid_file=dict(type="path", required=True),
                args_file=dict(type="path", required=True), args=dict(type="str", required=True))),
            api=dict(type="dict", options=dict(
                url=dict(type="str", required=True), ca_path=dict(type="path", required=True),
                client_cert=dict(type="path", required=True), client_key=dict(type="path", required=True))),
            health_urls=dict(type="list", elements="str", default=[]),
            objects=dict(type="list", elements="dict", default=[]),
            dns=dict(type="dict", options=dict(
                server=dict(type="str", required=True), port=dict(type="int", default=53),
                name=dict(type="str", required=True), address=dict(type="str", required=True))),
            timeout=dict(type="float", default=5),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params["objects"] and not params["api"]:
        module.fail_json(msg="objects: reading objects needs the option api")
    if params["timeout"] <= 0:
        module.fail_json(msg="timeout: must be positive, got %s" % params["timeout"])
    for index, directory in enumerate(params["directories"]):
        try:
            int(directory["mode"] or "0", 8)
        except ValueError:
            module.fail_json(msg="directories[%d].mode: %r is not an octal number" % (index, directory["mode"]))
    try:
        paths = [status.api_path(obj, "objects[%d]" % index) for index, obj in enumerate(params["objects"])]
    except status.LabStatusError as exc:
        module.fail_json(msg=str(exc))
    local, restart = check_local(params)
    module.exit_json(changed=False, restart=restart, **status.summary(local + check_remote(params, paths)))


if __name__ == "__main__":
    main()
