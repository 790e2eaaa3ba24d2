# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/lab.md and its picture, docs/lab-topology.svg, against the roles' defaults: the picture parses,
renders with ``rsvg-convert`` (the helper of the validator's SVG test) and holds nothing external, and
both name every host of ``lab_hosts_list`` with its address, the bridge and the cluster's loopback
ports, so a change of the defaults cannot leave them behind silently."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
from xml.etree import ElementTree

import pytest
import yaml

from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.test_svg_render import render

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def _read(*parts):
    with open(os.path.join(REPO, *parts), encoding="utf-8") as stream:
        return stream.read()


def _defaults(role):
    return yaml.safe_load(_read("roles", role, "defaults", "main.yml"))


HOSTS = _defaults("lab_hosts")["lab_hosts_list"]
PICTURE = _read("docs", "lab-topology.svg")
GUIDE = _read("docs", "lab.md")


def _texts():
    """Every <text> of the picture as it reads, its <tspan>s joined."""
    root = ElementTree.fromstring(PICTURE.encode("utf-8"))
    return ["".join(text.itertext()) for text in root.iter(SVG + "text")]


def _name_then_address(name, address):
    return re.compile(r"(?<![\w.-])%s\s+%s(?![\w.])" % (re.escape(name), re.escape(address)))


def test_the_picture_is_an_svg_that_renders_at_its_size(tmp_path):
    root = ElementTree.fromstring(PICTURE.encode("utf-8"))
    assert root.tag == SVG + "svg"
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == "0 0 %d %d" % (width, height)
    assert 800 <= width <= 1000, "drawn for about 900 px"
    assert render(PICTURE, tmp_path) == (width, height)


def test_the_picture_needs_nothing_from_outside():
    root = ElementTree.fromstring(PICTURE.encode("utf-8"))
    tags = set(element.tag for element in root.iter())
    assert not tags & {SVG + "script", SVG + "image", SVG + "foreignObject", SVG + "use"}, tags
    for element in root.iter():
        for key in ("href", XLINK + "href"):
            assert element.get(key) is None, (element.tag, element.get(key))
    assert "@import" not in PICTURE and "@font-face" not in PICTURE and "url(http" not in PICTURE
    for reference in re.findall(r"url\(([^)]*)\)", PICTURE):
        assert reference.startswith("#"), reference


@pytest.mark.parametrize("host", HOSTS, ids=[host["name"] for host in HOSTS])
def test_the_picture_names_each_host_with_its_address(host):
    pattern = _name_then_address(host["name"], host["address"])
    assert [text for text in _texts() if pattern.search(text)], (
        "docs/lab-topology.svg has no label '%s %s' (roles/lab_hosts/defaults/main.yml)" % (host["name"], host["address"]))


@pytest.mark.parametrize("host", HOSTS, ids=[host["name"] for host in HOSTS])
def test_the_picture_names_each_hosts_groups(host):
    assert ", ".join(host["groups"]) in _texts(), host


def test_the_picture_shows_the_bridge_and_the_loopback_cluster():
    hosts, lab = _defaults("lab_hosts"), _defaults("lab")
    words = "\n".join(_texts())
    assert "%s %s/24" % (hosts["lab_hosts_bridge"], hosts["lab_hosts_bridge_address"]) in words
    bind = lab["lab_bind_address"]
    for port in ("lab_apiserver_port", "lab_etcd_port", "lab_kubelet_port", "lab_dns_port"):
        assert "%s:%s" % (bind, lab[port]) in words, port
    for node in lab["lab_nodes"]:
        assert "%s (%s)" % (node["name"], node["internal_ip"]) in words, node
    assert lab["lab_dns_node"]["name"] in words
    assert "kube-dns %s" % lab["lab_dns_service_ip"] in words


def test_the_guide_shows_the_picture_and_is_linked():
    assert "](lab-topology.svg)" in GUIDE
    assert "`lab.md`" in _read("README.md")
    assert "docs/lab.md" in _read("docs", "architecture.md")


@pytest.mark.parametrize("host", HOSTS, ids=[host["name"] for host in HOSTS])
def test_the_guide_has_a_row_for_each_host(host):
    groups = ", ".join("`%s`" % group for group in host["groups"])
    row = re.compile(r"^\| `%s` \| %s \| %s \|" % (re.escape(host["name"]), re.escape(host["address"]), re.escape(groups)), re.M)
    assert row.search(GUIDE), "docs/lab.md has no table row for %s" % host


def test_the_guide_points_to_the_references_and_the_state():
    hosts = _defaults("lab_hosts")
    for role in ("lab", "lab_hosts"):
        assert "ansible-doc -t role stateful.nfs.%s" % role in GUIDE
    assert "ssh -F %s/ssh_config node1" % hosts["lab_hosts_state_dir"] in GUIDE
    assert _defaults("lab")["lab_state_dir"] in GUIDE
    for target in ("make lab-up", "make lab-down", "make lab-hosts-up", "make lab-hosts-down"):
        assert target in GUIDE
