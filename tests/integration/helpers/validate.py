# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""stateful.nfs.statefulset_validate run as a user runs it (``ansible localhost -m
stateful.nfs.statefulset_validate``, JSON callback) against the lab: once (``validate``) or in the
background, started before a change (``Background``, watch mode)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import time

from ansible_collections.stateful.nfs.tests.integration.helpers.ansible_runs import REPO

BIN = os.path.join(str(REPO), ".venv", "bin")
# The lab's pod label that keeps a pod un-Ready on purpose.
NEVER_READY = "lab.stateful.nfs/never-ready"


def module_command(lab, args, check_mode=False):
    cmd = [os.path.join(BIN, "ansible"), "localhost", "-c", "local", "-i", "localhost,",
           "-m", "stateful.nfs.statefulset_validate", "-a", json.dumps(args)]
    if check_mode:
        cmd.append("--check")
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(str(REPO), "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(str(REPO), ".collections"),
               ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1",
               ANSIBLE_PYTHON_INTERPRETER=os.path.join(BIN, "python"), ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", K8S_AUTH_KUBECONFIG=lab.kubeconfig)
    return cmd, env


def parse(stdout, stderr):
    try:
        return json.loads(stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError):
        raise AssertionError("no module result:\n%s\n%s" % (stdout[-3000:], stderr[-3000:]))


def direct_dns(lab, args):
    """The lab's CoreDNS as the resolver, unless the call asks through the API server."""
    if args.get("dns_transport") != "api":
        args.setdefault("dns_server", lab.dns_server)
        args.setdefault("dns_port", lab.dns_port)


def validate(lab, check_mode=False, **args):
    """Run the module once; returns its result (``failed`` tells a failed task). The DNS check asks the
    lab's CoreDNS directly unless ``dns_transport="api"`` is given."""
    direct_dns(lab, args)
    cmd, env = module_command(lab, args, check_mode)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    return parse(proc.stdout, proc.stderr)


class Background(object):
    """The module running in the background (watch mode), started before a change."""

    def __init__(self, lab, **args):
        direct_dns(lab, args)
        cmd, env = module_command(lab, args)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        # ansible start-up and the module's first list + watch take 1-2 s on this machine
        time.sleep(5)

    def result(self, timeout=180):
        stdout, stderr = self.proc.communicate(timeout=timeout)
        return parse(stdout, stderr)
