# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS I/O of ``statefulset_validate``: ``DnsProbe`` asks one resolver many
questions concurrently. Nothing here decides anything.

``query_wire`` and ``reply_in_flight`` are shared with ``dns_stream.StreamDnsProbe`` (the same
questions over one TCP stream), so that both give the same answers to ``dns.evaluate_dns``. The
replies are read by ``dns_wire`` (by hand: dnspython's message objects cost more than the round
trips)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import random
import select
import socket
import struct
import time

from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_wire import (
    FLAG_TC,
    WireError,
    answer_values,
    matches_question,
    parse_reply,
    rdtype_number,
    tcp_answer,
)

# bytes asked for the UDP socket's receive buffer (the kernel caps it at net.core.rmem_max)
RECEIVE_BUFFER = 4 * 1024 * 1024


def query_wire(qname, wanted, ident):
    """The wire form of a recursive query (RFC 1035 4.1): header, one question. Built by hand,
    as building a dnspython Message costs more than the rest of a question's round trip."""
    labels = b"".join(struct.pack("!B", len(label)) + label
                      for label in qname.encode("ascii").split(b".") if label)
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + labels + b"\x00" + struct.pack("!HH", wanted, 1)


def reply_in_flight(wire, flying):
    """``(reply, entry)`` when ``wire`` is a reply to a question in flight (``id -> (key, attempt,
    wanted, deadline)``, the entry is taken out), else ``(None, None)``: garbage, an unknown id, or
    a reply to another question (an old answer to a reused id). ``reply`` is a ``dns_wire.Reply``
    with the answers of the question's type."""
    if len(wire) < 2:
        return None, None
    entry = flying.get(struct.unpack_from("!H", wire, 0)[0])
    if entry is None:
        return None, None
    try:
        reply = parse_reply(wire, entry[2])
    except WireError:
        return None, None
    if not matches_question(reply, entry[0][0], entry[2]):
        return None, None
    del flying[reply.id]
    return reply, entry


def ask_tcp(server, port, qname, wanted, timeout, ident=None):
    """One question over TCP (RFC 1035 4.2.2: each message after its two-byte length), for a reply
    that came truncated over UDP -> ``{"rcode", "values", "error"}``."""
    ident = random.randint(0, 0xFFFF) if ident is None else ident
    deadline = time.monotonic() + timeout
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect((server, port))
            wire = query_wire(qname, wanted, ident)
            sock.sendall(struct.pack("!H", len(wire)) + wire)
            data = b""
            while len(data) < 2 or len(data) < 2 + struct.unpack_from("!H", data, 0)[0]:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                chunk = sock.recv(65536)
                if not chunk:
                    return {"rcode": "ERROR", "values": [], "error": "the server closed the TCP connection"}
                data += chunk
        size = struct.unpack_from("!H", data, 0)[0]
        reply = parse_reply(data[2:2 + size], wanted)
    except socket.timeout:
        return {"rcode": "TIMEOUT", "values": [], "error": "no reply over TCP within %.1f s" % timeout}
    except (OSError, UnicodeError, struct.error, WireError) as exc:
        return {"rcode": "ERROR", "values": [], "error": str(exc)}
    if reply.id != ident or not matches_question(reply, qname, wanted):
        return {"rcode": "ERROR", "values": [], "error": "the TCP reply does not answer the question"}
    return tcp_answer(reply, wanted)


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

    The questions are pipelined on one UDP socket (up to ``window`` in flight, 64 by default: a
    burst the server's default receive buffer holds while it is not scheduled; 256 overflowed
    CoreDNS's on a busy machine, and every dropped question waits ``timeout``; answers
    matched by message id and question), each unanswered one is asked once more after
    ``timeout`` seconds, and a truncated answer is asked again over TCP. One socket and
    no threads: thread pools spend their time on the GIL, not on the network.
    """

    def __init__(self, server, port, timeout, window=64):
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
        return ask_tcp(self.server, self.port, qname, wanted, self.timeout)

    def resolve(self, queries):
        """``[(qname, rdtype)]`` -> ``{(qname, rdtype): answer}`` (qname lower case, no final dot)."""
        keys = [(q[0].rstrip(".").lower(), q[1]) for q in queries]
        answers = {}
        if not queries:
            return answers
        family = socket.AF_INET6 if ":" in self.server else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            # room for the replies to a full window while this process is not running (a busy
            # machine): the default buffer (208 KiB here) holds about 200 of them, and each one
            # the kernel drops costs ``timeout`` seconds before its question is asked again
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
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
                wanted = rdtype_number(key[1])
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
            if reply.flags & FLAG_TC:
                answers[key] = self._ask_tcp(key[0], wanted)
            else:
                answers[key] = self._values(reply, wanted)
