# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for plugins/module_utils/k8s/names.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import (
    DNS1123_LABEL_MAX,
    DNS1123_SUBDOMAIN_MAX,
    InvalidName,
    ordinal_of,
    pod_fqdn,
    pod_name,
    pvc_name,
    reverse_pointer,
    search_path,
    validate_dns1123_label,
    validate_dns1123_subdomain,
)

# ---------------------------------------------------------------- DNS-1123 label


@pytest.mark.parametrize("value", [
    "a",
    "0",
    "myapp",
    "statefulset-headless",
    "pv001",
    "a-b-c",
    "1a",
    "a" * DNS1123_LABEL_MAX,
])
def test_label_accepts(value):
    assert validate_dns1123_label(value, "service") == value


@pytest.mark.parametrize("value, expected", [
    ("", "must not be empty"),
    ("MyApp", "must be lower case"),
    ("myApp", "must be lower case"),
    ("my_app", "contains '_'"),
    ("my.app", "contains '.'"),
    ("my app", "contains ' '"),
    ("my/app", "contains '/'"),
    ("my_app.x", "contains '.', '_'"),
    ("café", "contains 'é'"),
    ("-myapp", "must start and end with a letter or digit"),
    ("myapp-", "must start and end with a letter or digit"),
    ("-", "must start and end with a letter or digit"),
    ("a" * (DNS1123_LABEL_MAX + 1), "is 64 characters long; a DNS-1123 label has at most 63"),
])
def test_label_rejects_with_a_message_that_names_the_field(value, expected):
    with pytest.raises(InvalidName) as caught:
        validate_dns1123_label(value, "service")
    message = str(caught.value)
    assert message.startswith("service: ")
    assert expected in message


@pytest.mark.parametrize("value, type_name", [
    (None, "NoneType"),
    (1, "int"),
    (b"myapp", "bytes"),
    (["myapp"], "list"),
])
def test_label_rejects_non_strings(value, type_name):
    with pytest.raises(InvalidName, match=r"^statefulset: must be a string, got %s$" % type_name):
        validate_dns1123_label(value, "statefulset")


def test_invalid_name_is_a_value_error():
    # callers that only know ValueError (argument_spec type callables) still catch it
    with pytest.raises(ValueError):
        validate_dns1123_label("Bad", "name")


def test_label_default_field_is_name():
    with pytest.raises(InvalidName, match=r"^name: "):
        validate_dns1123_label("Bad")


def test_a_label_found_valid_before_is_valid_again_and_others_are_still_checked():
    for _round in range(2):  # the second round answers from the labels found valid
        assert validate_dns1123_label("myapp-0", "pod") == "myapp-0"
        with pytest.raises(InvalidName, match=r"^pod: 'myapp-0-' must start and end"):
            validate_dns1123_label("myapp-0-", "pod")
        with pytest.raises(InvalidName, match=r"^pod: must be a string, got list"):
            validate_dns1123_label(["myapp-0"], "pod")


# ------------------------------------------------------------ DNS-1123 subdomain


@pytest.mark.parametrize("value", [
    "pv001",
    "myappdata-myapp-0",
    "cluster.local",
    "a.b.c",
    "example-1.example-2",
    # Kubernetes (IsDNS1123Subdomain) limits the whole name, not each part
    "a" * 100,
    "a" * 64 + ".b",
    ".".join(["a" * 63] * 3) + "." + "a" * 61,  # 253 characters
])
def test_subdomain_accepts(value):
    assert len(value) <= DNS1123_SUBDOMAIN_MAX
    assert validate_dns1123_subdomain(value, "pv") == value


@pytest.mark.parametrize("value, expected", [
    ("", "pv: must not be empty"),
    ("a" * (DNS1123_SUBDOMAIN_MAX + 1), "pv: %r is 254 characters long; a DNS-1123 subdomain has at most 253" % ("a" * 254)),
    (".a", "pv (part 1 of 2 in '.a'): must not be empty"),
    ("a.", "pv (part 2 of 2 in 'a.'): must not be empty"),
    ("a..b", "pv (part 2 of 3 in 'a..b'): must not be empty"),
    ("PV001", "pv (part 1 of 1 in 'PV001'): 'PV001' must be lower case"),
    ("a.B", "pv (part 2 of 2 in 'a.B'): 'B' must be lower case"),
    ("pv_001", "pv (part 1 of 1 in 'pv_001'): 'pv_001' contains '_'"),
    ("a.-b", "pv (part 2 of 2 in 'a.-b'): '-b' must start and end with a letter or digit"),
    ("a-.b", "pv (part 1 of 2 in 'a-.b'): 'a-' must start and end with a letter or digit"),
])
def test_subdomain_rejects_with_a_message_that_names_the_field(value, expected):
    with pytest.raises(InvalidName) as caught:
        validate_dns1123_subdomain(value, "pv")
    assert expected in str(caught.value)


@pytest.mark.parametrize("value", [None, 3, 2.5, b"pv001", {"name": "pv001"}])
def test_subdomain_rejects_non_strings(value):
    with pytest.raises(InvalidName, match=r"^pv: must be a string, got "):
        validate_dns1123_subdomain(value, "pv")


# ------------------------------------------------------------ pod and claim names


@pytest.mark.parametrize("statefulset, ordinal, expected", [
    ("myapp", 0, "myapp-0"),
    ("myapp", 3, "myapp-3"),
    ("web", 12, "web-12"),
    ("a" * 61, 9, "a" * 61 + "-9"),  # exactly 63
])
def test_pod_name(statefulset, ordinal, expected):
    assert pod_name(statefulset, ordinal) == expected


@pytest.mark.parametrize("statefulset, ordinal, expected", [
    ("myapp", -1, r"^ordinal: must be >= 0, got -1$"),
    ("myapp", True, r"^ordinal: must be an integer, got True$"),
    ("myapp", "0", r"^ordinal: must be an integer, got '0'$"),
    ("myapp", 1.0, r"^ordinal: must be an integer, got 1.0$"),
    ("myapp", None, r"^ordinal: must be an integer, got None$"),
    ("MyApp", 0, r"^statefulset: 'MyApp' must be lower case"),
    ("my_app", 0, r"^statefulset: 'my_app' contains '_'"),
    ("myapp-", 0, r"^statefulset: 'myapp-' must start and end"),
    ("", 0, r"^statefulset: must not be empty$"),
    ("a" * 62, 0, r"^pod name: 'a{62}-0' is 64 characters long; a DNS-1123 label has at most 63$"),
])
def test_pod_name_rejects(statefulset, ordinal, expected):
    with pytest.raises(InvalidName, match=expected):
        pod_name(statefulset, ordinal)


@pytest.mark.parametrize("template, statefulset, ordinal, expected", [
    ("myappdata", "myapp", 0, "myappdata-myapp-0"),
    ("myappdata", "myapp", 3, "myappdata-myapp-3"),
    ("www", "web", 10, "www-web-10"),
    # longer than a label: still a valid claim name, as on a real cluster
    ("d" * 40, "s" * 40, 1, "d" * 40 + "-" + "s" * 40 + "-1"),
])
def test_pvc_name(template, statefulset, ordinal, expected):
    assert pvc_name(template, statefulset, ordinal) == expected


@pytest.mark.parametrize("template, statefulset, ordinal, expected", [
    ("MyAppData", "myapp", 0, r"^volume claim template: 'MyAppData' must be lower case"),
    ("my_data", "myapp", 0, r"^volume claim template: 'my_data' contains '_'"),
    ("", "myapp", 0, r"^volume claim template: must not be empty$"),
    ("data", "myapp", -2, r"^ordinal: must be >= 0, got -2$"),
    ("data", "my.app", 0, r"^statefulset: 'my.app' contains '.'"),
])
def test_pvc_name_rejects(template, statefulset, ordinal, expected):
    with pytest.raises(InvalidName, match=expected):
        pvc_name(template, statefulset, ordinal)


@pytest.mark.parametrize("pod, statefulset, expected", [
    ("myapp-0", "myapp", 0),
    ("myapp-3", "myapp", 3),
    ("myapp-10", "myapp", 10),
    ("my-app-2", "my-app", 2),
    ("my-app-2", "my", None),  # 'app-2' is not an ordinal
    ("myapp-01", "myapp", None),  # the controller never pads ordinals
    ("myapp-", "myapp", None),
    ("myapp", "myapp", None),
    ("other-0", "myapp", None),
    ("myapp-x", "myapp", None),
    ("myapp--1", "myapp", None),
    ("myapp-1a", "myapp", None),
    (None, "myapp", None),
    (7, "myapp", None),
])
def test_ordinal_of(pod, statefulset, expected):
    assert ordinal_of(pod, statefulset) == expected


def test_ordinal_of_inverts_pod_name():
    for ordinal in range(0, 25):
        assert ordinal_of(pod_name("myapp", ordinal), "myapp") == ordinal


@pytest.mark.parametrize("statefulset", [None, "", "MyApp", 3])
def test_ordinal_of_rejects_a_bad_statefulset(statefulset):
    with pytest.raises(InvalidName, match=r"^statefulset: "):
        ordinal_of("myapp-0", statefulset)


# ---------------------------------------------------------------------- pod FQDN


@pytest.mark.parametrize("args, expected", [
    (("myapp-0", "statefulset-headless", "default"), "myapp-0.statefulset-headless.default.svc.cluster.local"),
    (("myapp-3", "statefulset-headless", "default", "cluster.local"),
     "myapp-3.statefulset-headless.default.svc.cluster.local"),
    (("web-1", "nginx", "prod", "k8s.example.internal"), "web-1.nginx.prod.svc.k8s.example.internal"),
])
def test_pod_fqdn(args, expected):
    assert pod_fqdn(*args) == expected


@pytest.mark.parametrize("args, expected", [
    (("Myapp-0", "svc", "default"), r"^pod: 'Myapp-0' must be lower case"),
    (("myapp-0", "svc_headless", "default"), r"^service: 'svc_headless' contains '_'"),
    (("myapp-0", "svc", "kube.system"), r"^namespace: 'kube.system' contains '.'"),
    (("myapp-0", "svc", ""), r"^namespace: must not be empty$"),
    (("myapp-0", "svc", "default", ""), r"^cluster_domain: must not be empty$"),
    (("myapp-0", "svc", "default", "cluster.local."), r"^cluster_domain \(part 3 of 3 in 'cluster.local.'\): must not be empty"),
    (("myapp-0", "svc", "default", "Cluster.Local"), r"^cluster_domain \(part 1 of 2 in 'Cluster.Local'\): 'Cluster' must be lower case"),
    (("myapp-0", None, "default"), r"^service: must be a string, got NoneType$"),
])
def test_pod_fqdn_rejects(args, expected):
    with pytest.raises(InvalidName, match=expected):
        pod_fqdn(*args)


# ---------------------------------------------------------------- reverse pointer


@pytest.mark.parametrize("address, expected", [
    ("10.244.3.24", "24.3.244.10.in-addr.arpa"),
    ("127.0.0.1", "1.0.0.127.in-addr.arpa"),
    ("0.0.0.0", "0.0.0.0.in-addr.arpa"),
    (" 10.96.0.10 ", "10.0.96.10.in-addr.arpa"),
    (
        "2001:db8::1",
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
    ),
    (
        "fd00:10:244::3",
        "3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa",
    ),
    ("::1", "1." + "0." * 31 + "ip6.arpa"),
])
def test_reverse_pointer(address, expected):
    assert reverse_pointer(address) == expected


def test_reverse_pointer_ipv6_is_32_nibbles():
    labels = reverse_pointer("2001:db8:85a3::8a2e:370:7334").split(".")
    assert labels[-2:] == ["ip6", "arpa"]
    assert len(labels) == 34
    assert all(len(nibble) == 1 and nibble in "0123456789abcdef" for nibble in labels[:-2])


@pytest.mark.parametrize("address", [
    "",
    "10.0.0",
    "10.0.0.256",
    "10.0.0.1.2",
    "010.0.0.1",  # leading zeros are ambiguous (octal?), rejected
    "myapp-0",
    "10.0.0.1/24",
    "2001:db8::1::2",
    "2001:db8:::1",
    "gggg::1",
])
def test_reverse_pointer_rejects_bad_addresses(address):
    with pytest.raises(InvalidName, match=r"^pod_ip: .* is not an IPv4 or IPv6 address$"):
        reverse_pointer(address, "pod_ip")


def test_reverse_pointer_rejects_a_zone_index():
    with pytest.raises(InvalidName, match=r"^address: 'fe80::1%eth0' has a zone index"):
        reverse_pointer("fe80::1%eth0")


@pytest.mark.parametrize("address", [None, 167772161, b"10.0.0.1"])
def test_reverse_pointer_rejects_non_strings(address):
    with pytest.raises(InvalidName, match=r"^address: must be a string, got "):
        reverse_pointer(address)


def test_search_path_is_the_kubelet_one():
    assert search_path("default", "cluster.local") == ["default.svc.cluster.local", "svc.cluster.local",
                                                       "cluster.local"]
    with pytest.raises(InvalidName, match="^namespace"):
        search_path("Default", "cluster.local")
