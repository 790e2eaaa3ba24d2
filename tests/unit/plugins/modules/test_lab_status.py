# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/modules/lab_status.py: what it reads (files, /proc, a DNS server, health
endpoints) on this machine, on loopback; the rules themselves are in module_utils/lab/test_status.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import socket
import subprocess
import sys
import threading

import dns.message
import dns.rrset
import pytest

from ansible_collections.stateful.nfs.plugins.modules import lab_status


@pytest.fixture
def child():
    """A live process (this Python, sleeping) and its program name as /proc shows it."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(60)"],
                            stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"ready"
        with open("/proc/%d/comm" % proc.pid) as handle:
            yield proc, handle.read().strip()
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def dns_server():
    """A UDP DNS server on loopback that answers every A question with 10.96.0.1 (one answer per question)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)

    def serve():
        try:
            data, peer = sock.recvfrom(512)
        except OSError:
            return
        query = dns.message.from_wire(data)
        reply = dns.message.make_response(query)
        reply.answer.append(dns.rrset.from_text(query.question[0].name, 5, "IN", "A", "10.96.0.1"))
        sock.sendto(reply.to_wire(), peer)

    thread = threading.Thread(target=serve)
    thread.start()
    yield sock.getsockname()[1]
    thread.join(10)
    sock.close()


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def state(tmp_path, comm, pid):
    """A lab state directory as the role leaves it, with one process."""
    (tmp_path / "run").mkdir(mode=0o700)
    os.chmod(str(tmp_path / "run"), 0o700)
    (tmp_path / "cache").mkdir()
    binary = tmp_path / "cache" / "etcd"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    os.symlink(str(tmp_path / "cache"), str(tmp_path / "bin"))
    (tmp_path / "Corefile").write_text("conf\n")
    (tmp_path / "run" / "child.pid").write_text("%d\n" % pid)
    (tmp_path / "run" / "child.args").write_text("/bin/child\n--flag\n\n")
    return dict(
        binaries=[str(binary)],
        directories=[dict(path=str(tmp_path / "run"), mode="0700")],
        links=[dict(path=str(tmp_path / "bin"), target=str(tmp_path / "cache"))],
        files=[dict(path=str(tmp_path / "Corefile"), checksum=hashlib.sha1(b"conf\n").hexdigest())],
        processes=[dict(name=comm, pid_file=str(tmp_path / "run" / "child.pid"),
                        args_file=str(tmp_path / "run" / "child.args"), args="/bin/child\n--flag\n")],
    )


def test_a_lab_as_the_role_left_it_is_converged_and_nothing_changes(run_main, tmp_path, child, dns_server):
    proc, comm = child
    args = state(tmp_path, comm, proc.pid)
    args["dns"] = dict(server="127.0.0.1", port=dns_server, name="kubernetes.default.svc.cluster.local",
                       address="10.96.0.1")
    outcome = run_main(lab_status, args, check_mode=True)
    assert not outcome.failed, outcome.result
    assert outcome.result["problems"] == [] and outcome.result["converged"] and not outcome.result["changed"]
    assert outcome.result["restart"] == []


def test_each_difference_is_found_and_named(run_main, tmp_path, child):
    proc, comm = child
    args = state(tmp_path, comm, proc.pid)
    (tmp_path / "cache" / "etcd").chmod(0o644)
    os.chmod(str(tmp_path / "run"), 0o755)
    (tmp_path / "Corefile").write_text("edited\n")
    (tmp_path / "run" / "child.args").write_text("/bin/child\n--other\n")
    port = free_port()
    args["health_urls"] = ["https://127.0.0.1:%d/healthz" % port]
    result = run_main(lab_status, args).result
    assert not result["converged"] and not result["changed"]
    assert result["binaries"] == ["%s: missing or not executable" % (tmp_path / "cache" / "etcd")]
    assert result["directories"] == ["%s: mode 0755, wanted 0700" % (tmp_path / "run")]
    assert result["files"] == ["%s: content differs from what the role writes" % (tmp_path / "Corefile")]
    assert result["processes"] == ["%s: runs with other arguments, configuration or certificates than it would be "
                                   "started with" % comm]
    assert result["restart"] == [comm]
    assert len(result["health"]) == 1 and result["health"][0].startswith("https://127.0.0.1:%d/healthz: " % port)
    assert result["problems"] == (result["binaries"] + result["directories"] + result["files"] + result["processes"]
                                  + result["health"])


def test_a_stopped_process_is_to_be_restarted(run_main, tmp_path, child):
    proc, comm = child
    args = state(tmp_path, comm, proc.pid)
    proc.kill()
    proc.wait()
    result = run_main(lab_status, args).result
    assert result["processes"] == ["%s: not running" % comm] and result["restart"] == [comm]


def test_a_wrong_dns_answer_and_an_unreachable_api_server_are_problems(run_main, tmp_path, dns_server):
    port = free_port()
    (tmp_path / "ca.crt").write_text("")
    result = run_main(lab_status, dict(
        dns=dict(server="127.0.0.1", port=dns_server, name="kubernetes.default.svc.cluster.local", address="10.96.0.2"),
        api=dict(url="https://127.0.0.1:%d" % port, ca_path=str(tmp_path / "ca.crt"),
                 client_cert=str(tmp_path / "admin.crt"), client_key=str(tmp_path / "admin.key")),
        objects=[{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node1"}}],
    )).result
    assert not result["converged"]
    assert ("DNS 127.0.0.1:%d kubernetes.default.svc.cluster.local: answered ['10.96.0.1'], wanted 10.96.0.2"
            % dns_server) in result["health"]
    assert result["objects"] == ["Node node1: not read (the API server is not ready)"]


def test_bad_options_are_refused_naming_the_option(run_main, tmp_path):
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node1"}}
    outcome = run_main(lab_status, dict(objects=[node]))
    assert outcome.failed and outcome.result["msg"] == "objects: reading objects needs the option api"
    api = dict(url="https://127.0.0.1:1", ca_path="/x", client_cert="/x", client_key="/x")
    outcome = run_main(lab_status, dict(api=api, objects=[node, {"apiVersion": "apps/v1", "kind": "Deployment",
                                                                 "metadata": {"name": "d"}}]))
    assert outcome.failed and outcome.result["msg"].startswith("objects[1]: apiVersion 'apps/v1' kind 'Deployment'")
    outcome = run_main(lab_status, dict(directories=[dict(path=str(tmp_path), mode="rwx")]))
    assert outcome.failed and outcome.result["msg"] == "directories[0].mode: 'rwx' is not an octal number"
    outcome = run_main(lab_status, dict(timeout=0))
    assert outcome.failed and outcome.result["msg"] == "timeout: must be positive, got 0.0"
