# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS I/O: DnsProbe against a real UDP DNS server on loopback (started here)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import threading
import time

import dns.message
import dns.rdatatype
import dns.rcode
import dns.rrset
import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_probe import DnsProbe, expire, free_message_id
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.dns_responder import table_reply


class TinyDns:
    """A loopback UDP DNS server answering from a table; names in ``silent`` get no reply."""

    def __init__(self, table, silent=()):
        self.table = table
        self.silent = set(silent)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.asked = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            name, rdtype, reply = table_reply(dns.message.from_wire(data), self.table)
            self.asked.append((name, rdtype))
            if name in self.silent:
                continue
            self.sock.sendto(reply.to_wire(), peer)

    def close(self):
        self.sock.close()


@pytest.fixture
def tiny_dns():
    server = TinyDns({
        ("web-0.web.ns.svc.cluster.local", "A"): ["10.1.0.5"],
        ("5.0.1.10.in-addr.arpa", "PTR"): ["web-0.web.ns.svc.cluster.local.", "web-0.other.ns.svc.cluster.local."],
        ("_http._tcp.web.ns.svc.cluster.local", "SRV"): ["0 100 8080 web-0.web.ns.svc.cluster.local."],
    }, silent={"slow.example"})
    yield server
    server.close()


def test_probe_normalises_answers(tiny_dns):
    probe = DnsProbe("127.0.0.1", tiny_dns.port, 1.0)
    answers = probe.resolve([("web-0.web.ns.svc.cluster.local.", "A"), ("5.0.1.10.in-addr.arpa", "PTR"),
                             ("_http._tcp.web.ns.svc.cluster.local", "SRV"), ("web-9.web.ns.svc.cluster.local", "A")])
    assert answers[("web-0.web.ns.svc.cluster.local", "A")] == {
        "rcode": "NOERROR", "values": ["10.1.0.5"], "error": None}
    assert answers[("5.0.1.10.in-addr.arpa", "PTR")]["values"] == [
        "web-0.other.ns.svc.cluster.local", "web-0.web.ns.svc.cluster.local"]
    assert answers[("_http._tcp.web.ns.svc.cluster.local", "SRV")]["values"] == ["web-0.web.ns.svc.cluster.local:8080"]
    assert answers[("web-9.web.ns.svc.cluster.local", "A")]["rcode"] == "NXDOMAIN"


def test_probe_times_out_once_retried_and_does_not_block_the_others(tiny_dns):
    probe = DnsProbe("127.0.0.1", tiny_dns.port, 0.3)
    started = time.monotonic()
    answers = probe.resolve([("slow.example", "A")] + [("web-0.web.ns.svc.cluster.local", "A")] * 20)
    elapsed = time.monotonic() - started
    assert answers[("slow.example", "A")] == {"rcode": "TIMEOUT", "values": [], "error": "no reply within 0.3 s"}
    assert tiny_dns.asked.count(("slow.example", "A")) == 2
    assert answers[("web-0.web.ns.svc.cluster.local", "A")]["values"] == ["10.1.0.5"]
    assert elapsed < 1.5


def test_probe_reports_an_unreachable_port_as_a_timeout_or_error():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    answer = DnsProbe("127.0.0.1", port, 0.2).ask("web-0.web.ns.svc.cluster.local", "A")
    assert answer["rcode"] in ("TIMEOUT", "ERROR") and answer["values"] == []


def test_probe_pipeline_window_answers_every_question(tiny_dns):
    probe = DnsProbe("127.0.0.1", tiny_dns.port, 1.0, window=4)
    names = ["web-%d.web.ns.svc.cluster.local" % i for i in range(40)]
    answers = probe.resolve([(n, "A") for n in names] + [("web-0.web.ns.svc.cluster.local", "A")])
    assert len(answers) == 40
    assert answers[("web-0.web.ns.svc.cluster.local", "A")]["values"] == ["10.1.0.5"]
    assert all(answers[(n, "A")]["rcode"] == "NXDOMAIN" for n in names[1:])
    assert len(tiny_dns.asked) == 40  # the duplicate question is asked once


@pytest.mark.parametrize("qname,rdtype", [("web-0.web.ns.svc.cluster.local", "A"), ("5.0.1.10.in-addr.arpa", "PTR"),
                                          ("_http._tcp.web.ns.svc.cluster.local", "SRV")])
def test_hand_built_query_is_what_dnspython_builds(qname, rdtype):
    reference = dns.message.make_query(qname, rdtype)
    reference.id = 4242
    wanted = dns.rdatatype.from_text(rdtype)
    assert DnsProbe._query_wire(qname, wanted, 4242) == reference.to_wire()


def test_a_free_message_id_skips_the_ids_in_flight_and_wraps():
    assert free_message_id({}, 7) == (7, 8)
    assert free_message_id({7: None, 8: None}, 7) == (9, 10)
    assert free_message_id({0xFFFF: None}, 0xFFFF) == (0, 1)
    assert free_message_id({}, 0xFFFF) == (0xFFFF, 0)


def test_an_expired_question_is_asked_once_more_then_answered_timeout():
    flying = {1: (("a.example", "A"), 1, "x", 10.0), 2: (("b.example", "A"), 2, "x", 10.0),
              3: (("c.example", "A"), 1, "x", 99.0)}
    todo, answers = [], {}
    expire(flying, 10.0, todo, answers, 2.0)
    assert todo == [(("a.example", "A"), 2)]
    assert answers == {("b.example", "A"): {"rcode": "TIMEOUT", "values": [], "error": "no reply within 2.0 s"}}
    assert list(flying) == [3]
