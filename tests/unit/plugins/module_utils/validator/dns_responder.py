# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A tiny DNS-over-TCP server for the stream tests: it reads length-prefixed queries from one end
of a real socket pair and answers from a table with dnspython messages, misbehaving on request
(silence, replies out of order or in pieces, TC bit, garbage, a closed stream)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import struct
import threading
import time

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


def table_reply(query, table):
    """``(name, type, reply)`` for ``query`` from ``table`` (``{(name, type): [values]}``; NXDOMAIN
    for a name it lacks): the answers of every fake DNS server of these tests."""
    question = query.question[0]
    name = question.name.to_text(omit_final_dot=True)
    rdtype = dns.rdatatype.to_text(question.rdtype)
    reply = dns.message.make_response(query)
    values = table.get((name, rdtype))
    if values is None:
        reply.set_rcode(dns.rcode.NXDOMAIN)
    else:
        reply.answer.append(dns.rrset.from_text_list(question.name, 5, "IN", rdtype, values))
    return name, rdtype, reply


class StreamResponder:
    """Serves one stream in a thread.

    ``table``: ``{(name, rdtype): [rdata text]}`` (absent: NXDOMAIN). ``silent``: names never
    answered; ``silent_once``: names answered only when asked the second time; ``batch``: hold
    the replies until that many questions came, then send them in reverse order; ``chunk``: send
    each reply in pieces of that many bytes; ``truncated``: names answered with the TC bit;
    ``garbage``: send a frame that is not DNS and a reply with an unknown id before each reply;
    ``close_after``: close the stream after that many replies (0: at once, before reading).
    """

    def __init__(self, sock, table, silent=(), silent_once=(), batch=1, chunk=None, truncated=(), garbage=False,
                 close_after=None):
        self.sock = sock
        self.table = table
        self.silent = set(silent)
        self.silent_once = set(silent_once)
        self.batch = batch
        self.chunk = chunk
        self.truncated = set(truncated)
        self.garbage = garbage
        self.close_after = close_after
        self.asked = []
        self.frames = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def reply_to(self, query):
        name, _rdtype, reply = table_reply(query, self.table)
        if name in self.truncated:
            reply.flags |= dns.flags.TC
        return reply.to_wire()

    def send(self, wire):
        frame = struct.pack("!H", len(wire)) + wire
        if not self.chunk:
            self.sock.sendall(frame)
            return
        for start in range(0, len(frame), self.chunk):
            self.sock.sendall(frame[start:start + self.chunk])
            time.sleep(0.0005)

    def serve(self):
        buffered, held, sent = b"", [], 0
        try:
            if self.close_after == 0:
                return
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return
                buffered += data
                while len(buffered) >= 2 and len(buffered) >= 2 + struct.unpack("!H", buffered[:2])[0]:
                    size = struct.unpack("!H", buffered[:2])[0]
                    wire, buffered = buffered[2:2 + size], buffered[2 + size:]
                    self.frames.append(wire)
                    query = dns.message.from_wire(wire)
                    name = query.question[0].name.to_text(omit_final_dot=True)
                    self.asked.append((name, dns.rdatatype.to_text(query.question[0].rdtype)))
                    if name in self.silent or name in self.silent_once and self.asked.count(self.asked[-1]) == 1:
                        continue
                    held.append(self.reply_to(query))
                    if len(held) < self.batch:
                        continue
                    for wire_out in reversed(held):
                        if self.garbage:
                            self.send(b"\x00\x01not dns")
                            self.send(struct.pack("!H", struct.unpack("!H", wire_out[:2])[0] ^ 0x8000)
                                      + wire_out[2:])
                        self.send(wire_out)
                        sent += 1
                        if self.close_after is not None and sent >= self.close_after:
                            return
                    held = []
        except OSError:
            return
        finally:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()


class Streams:
    """``connect()`` for StreamDnsProbe: each call makes a socket pair and serves one end with a
    ``StreamResponder`` built by ``settings(n)`` (``n``: 0 for the first stream); ``lost`` is what
    the stream's ``lost()`` says."""

    def __init__(self, table, settings=None, lost=None):
        self.table = table
        self.settings = settings or (lambda n: {})
        self.lost = lost
        self.responders = []

    def __call__(self):
        ours, theirs = socket.socketpair()
        self.responders.append(StreamResponder(theirs, self.table, **self.settings(len(self.responders))))
        if self.lost is None:
            return ours
        return LosableSocket(ours, self.lost)

    @property
    def asked(self):
        return [question for responder in self.responders for question in responder.asked]


class LosableSocket:
    """A socket whose ``lost()`` explains a closed stream, as a port-forward's error channel does."""

    def __init__(self, sock, reason):
        self.sock = sock
        self.reason = reason

    def __getattr__(self, name):
        return getattr(self.sock, name)

    def lost(self):
        return self.reason
