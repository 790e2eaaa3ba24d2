# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""bench/validator/bench.py's pure parts: which lab it measures, and the nodes it adds for its pods."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import ipaddress
import os

import pytest
import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("validator_bench", os.path.join(ROOT, "bench", "validator", "bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_default_lab_without_variables(bench):
    lab = bench.lab_settings({})
    assert lab["kubeconfig"] == os.path.expanduser("~/.local/state/stateful-nfs-lab/kubeconfig")
    assert lab["kubectl"] == os.path.expanduser("~/.local/state/stateful-nfs-lab/bin/kubectl")
    assert (lab["dns_server"], lab["dns_port"]) == ("127.0.0.1", 10053)


def test_another_lab_from_its_variables_file(bench, tmp_path):
    path = tmp_path / "lab-vars.yml"
    path.write_text(yaml.safe_dump({"lab_state_dir": str(tmp_path / "lab"), "lab_dns_port": 10453,
                                    "lab_bind_address": "127.0.0.2"}))
    lab = bench.lab_settings(bench.read_lab_vars(str(path)))
    assert lab["kubeconfig"] == str(tmp_path / "lab" / "kubeconfig")
    assert lab["kubectl"] == str(tmp_path / "lab" / "bin" / "kubectl")
    assert (lab["dns_server"], lab["dns_port"]) == ("127.0.0.2", 10453)
    path.write_text(yaml.safe_dump({"lab_state_dir": str(tmp_path / "lab"), "stateful_nfs_kubeconfig": "/elsewhere/kc"}))
    assert bench.lab_settings(bench.read_lab_vars(str(path)))["kubeconfig"] == "/elsewhere/kc"


def test_benchmark_nodes_hold_their_pods_apart_from_the_labs_own_nodes(bench):
    defaults = yaml.safe_load(open(os.path.join(ROOT, "roles", "lab", "defaults", "main.yml")))
    lab = [ipaddress.ip_network(n["pod_cidr"]) for n in defaults["lab_nodes"]]
    lab.append(ipaddress.ip_network(defaults["lab_dns_node"]["pod_cidr"]))
    nodes = bench.bench_nodes(bench.nodes_for(16 * bench.NODE_PODS))
    assert len(nodes) == 16 and bench.nodes_for(5010) == 6 and bench.nodes_for(1) == 1
    cidrs = [ipaddress.ip_network(n["spec"]["podCIDR"]) for n in nodes]
    for index, cidr in enumerate(cidrs):
        assert cidr.num_addresses - 2 >= int(nodes[index]["metadata"]["annotations"]["lab.stateful.nfs/max-pods"])
        assert cidr.subnet_of(ipaddress.ip_network(defaults["lab_pod_cidr"]))
        assert not any(cidr.overlaps(other) for other in lab + cidrs[:index])
    with pytest.raises(ValueError):
        bench.bench_nodes(17)
