# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS I/O of ``statefulset_validate``: ``DnsProbe`` asks one resolver many
questions concurrently, through dnspython. Nothing here decides anything.

``query_wire`` and ``answer_values`` are shared with ``dns_stream.StreamDnsProbe`` (the same
questions over one TCP stream), so that both give the same answers to ``dns.evaluate_dns``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import random
import select
import socket
import struct
import time
import traceback

try:
    import dns.exception
    import dns.flags
    import dns.message
    import dns.query
    import dns.rcode
    import dns.rdatatype
    HAS_DNSPYTHON = True
    DNSPYTHON_IMPORT_ERROR = None
except ImportError:
    HAS_DNSPYTHON = False
    DNSPYTHON_IMPORT_ERROR = traceback.format_exc()


def query_wire(qname, wanted, ident):
    """The wire form of a recursive query (RFC 1035 4.1): header, one question. Built by hand,
    as building a dnspython Message costs more than the rest of a question's round trip."""
    labels = b"".join(struct.pack("!B", len(label)) + label
                      for label in qname.encode("ascii").split(b".") if label)
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + labels + b"\x00" + struct.pack("!HH", wanted, 1)


def answer_values(reply, wanted):
    """A reply -> ``{"rcode", "values", "error"}``; values are normalised strings: addresses
    (A/AAAA), names without the final dot (PTR), ``target:port`` (SRV), sorted."""
    values = []
    for rrset in reply.answer:
        if rrset.rdtype != wanted:
            continue
        for rdata in rrset:
            if wanted == dns.rdatatype.SRV:
                values.append("%s:%d" % (rdata.target.to_text(omit_final_dot=True).lower(), rdata.port))
            elif wanted == dns.rdatatype.PTR:
                values.append(rdata.target.to_text(omit_final_dot=True).lower())
            else:
                values.append(rdata.to_text())
    return {"rcode": dns.rcode.to_text(reply.rcode()), "values": sorted(values), "error": None}


def matches_question(reply, qname, wanted):
    """Is ``reply`` a response to the question ``(qname, wanted)`` (qname lower case, no final dot)?"""
    return bool(reply.flags & dns.flags.QR) and len(reply.question) == 1 \
        and reply.question[0].rdtype == wanted \
        and reply.question[0].name.to_text(omit_final_dot=True).lower() == qname


def reply_in_flight(wire, flying):
    """``(reply, entry)`` when ``wire`` is a reply to a question in flight (``id -> (key, attempt,
    wanted, deadline)``, the entry is taken out), else ``(None, None)``: garbage, an unknown id, or
    a reply to another question (an old answer to a reused id)."""
    try:
        reply = dns.message.from_wire(wire, ignore_trailing=True)
    except dns.exception.DNSException:
        return None, None
    entry = flying.get(reply.id)
    if entry is None or not matches_question(reply, entry[0][0], entry[2]):
        return None, None
    del flying[reply.id]
    return reply, entry


def free_message_id(flying, next_id):
    """The first message id from ``next_id`` on that is not in flight, and the id after it."""
    while next_id in flying:
        next_id = (next_id + 1) & 0xFFFF
    return next_id, (next_id + 1) & 0xFFFF


def expire(flying, now, todo, answers, timeout):
    """The questions in flight (``id -> (key, attempt, ..., deadline)``) whose deadline has passed:
    asked once more (back on ``todo``), or, after the second attempt, answered ``TIMEOUT``."""
    for ident in [i for i, entry in flying.items() if entry[-1] <= now]:
        key, attempt = flying.pop(ident)[:2]
        if attempt < 2:
            todo.append((key, attempt + 1))
        else:
            answers[key] = {"rcode": "TIMEOUT", "values": [], "error": "no reply within %.1f s" % timeout}


class DnsProbe:
    """Asks one DNS server (address, port) many questions at once, with a timeout each.

    The questions are pipelined on one UDP socket (up to ``window`` in flight, answers
    matched by message id and question), each unanswered one is asked once more after
    ``timeout`` seconds, and a truncated answer is asked again over TCP. One socket and
    no threads: thread pools spend their time on the GIL, not on the network.
    """

    def __init__(self, server, port, timeout, window=256):
        self.server = server
        self.port = port
        self.timeout = timeout
        self.window = window

    _values = staticmethod(answer_values)

    @property
    def source(self):
        """Where the answers come from, for the report: ``{"transport": "direct", "server": "<addr>:<port>"}``."""
        return {"transport": "direct", "server": "%s:%d" % (self.server, self.port)}

    def ask(self, qname, rdtype):
        """One question -> ``{"rcode", "values", "error"}``; values are normalised strings:
        addresses (A/AAAA), names without the final dot (PTR), ``target:port`` (SRV)."""
        return self.resolve([(qname, rdtype)])[(qname.rstrip(".").lower(), rdtype)]

    _query_wire = staticmethod(query_wire)

    def _ask_tcp(self, qname, wanted):
        query = dns.message.make_query(qname, wanted)
        try:
            return self._values(dns.query.tcp(query, self.server, timeout=self.timeout, port=self.port), wanted)
        except dns.exception.Timeout:
            return {"rcode": "TIMEOUT", "values": [], "error": "no reply over TCP within %.1f s" % self.timeout}
        except (OSError, dns.exception.DNSException) as exc:
            return {"rcode": "ERROR", "values": [], "error": str(exc)}

    def resolve(self, queries):
        """``[(qname, rdtype)]`` -> ``{(qname, rdtype): answer}`` (qname lower case, no final dot)."""
        keys = [(q[0].rstrip(".").lower(), q[1]) for q in queries]
        answers = {}
        if not queries:
            return answers
        family = socket.AF_INET6 if ":" in self.server else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            sock.connect((self.server, self.port))
            self._pipeline(sock, keys, answers)
        finally:
            sock.close()
        return answers

    def _pipeline(self, sock, keys, answers):
        todo = collections.deque((key, 1) for key in dict.fromkeys(keys))
        flying = {}  # message id -> (key, attempt, wanted, deadline)
        next_id = random.randint(0, 0xFFFF)
        while todo or flying:
            now = time.monotonic()
            while todo and len(flying) < self.window:
                key, attempt = todo.popleft()
                ident, next_id = free_message_id(flying, next_id)
                wanted = dns.rdatatype.from_text(key[1])
                try:
                    sock.send(self._query_wire(key[0], wanted, ident))
                except (OSError, UnicodeError, struct.error) as exc:
                    answers[key] = {"rcode": "ERROR", "values": [], "error": str(exc)}
                    continue
                flying[ident] = (key, attempt, wanted, now + self.timeout)
            if not flying:
                continue
            wait = max(0.0, min(entry[3] for entry in flying.values()) - time.monotonic())
            readable = select.select([sock], [], [], wait)[0]
            if readable:
                self._receive(sock, flying, answers)
            expire(flying, time.monotonic(), todo, answers, self.timeout)

    def _receive(self, sock, flying, answers):
        while True:
            try:
                wire = sock.recv(65535)
            except BlockingIOError:
                return
            except OSError as exc:  # e.g. ICMP port unreachable: nothing listens there
                for ident in list(flying):
                    key = flying.pop(ident)[0]
                    answers[key] = {"rcode": "ERROR", "values": [], "error": str(exc)}
                return
            reply, entry = reply_in_flight(wire, flying)
            if reply is None:
                continue
            key, wanted = entry[0], entry[2]
            if reply.flags & dns.flags.TC:
                answers[key] = self._ask_tcp(key[0], wanted)
            else:
                answers[key] = self._values(reply, wanted)
