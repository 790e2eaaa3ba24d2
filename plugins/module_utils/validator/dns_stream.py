# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS over one byte stream for ``statefulset_validate``: ``StreamDnsProbe`` asks many questions on
one TCP stream, as ``DnsProbe`` does on one UDP socket, and gives the same answers. Nothing here
decides anything.

The stream is whatever ``connect()`` returns that has ``fileno``, ``send``, ``recv``,
``setblocking`` and ``close`` (a socket; or one port of a port-forward through the API server,
``portforward.ForwardedPort``, which adds ``lost()``: why the other end closed it, and
``broken()``: why it will carry nothing more although it was not closed). Framing is
RFC 1035 4.2.2: a two-byte length before every message. Questions are pipelined (RFC 7766 6.2.1):
up to ``window`` are written before the first answer is read, and answers are matched by message
id and question, in whatever order they come; a reply split over several reads is put together.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import random
import select
import struct
import time

from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_probe import (
    expire,
    free_message_id,
    query_wire,
    reply_in_flight,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_wire import rdtype_number, tcp_answer

READ_SIZE = 65536
# how often a stream with ``broken()`` is asked whether it still carries anything, in seconds
BROKEN_POLL = 0.05


class StreamLost(Exception):
    """No question got an answer: the stream closed (or could not carry a reply) twice in a row.
    The message says why, as the stream's other end told it."""


class StreamDnsProbe:
    """Asks many questions on one DNS-over-TCP stream, with a timeout each.

    A question unanswered after ``timeout`` seconds is asked once more on the same stream, then
    answered ``TIMEOUT``. When the stream closes, the questions in flight are asked again on a new
    one (``connect()`` again); a stream that closes before any reply is opened once more, and when
    the second one closes before a reply too, the questions left are answered ``ERROR`` with the
    reason - or, when nothing at all was answered, ``StreamLost`` is raised. A reply with the TC
    bit (too long even for TCP) is an ``ERROR`` answer, not a partial list of records.
    """

    def __init__(self, connect, timeout, window=256):
        self.connect = connect
        self.timeout = timeout
        self.window = window
        self.replies = 0
        self.streams = 0

    def resolve(self, queries):
        """``[(qname, rdtype)]`` -> ``{(qname, rdtype): {"rcode", "values", "error"}}`` (qname lower
        case, no final dot), as ``DnsProbe.resolve``."""
        keys = list(dict.fromkeys((q[0].rstrip(".").lower(), q[1]) for q in queries))
        answers = {}
        todo = collections.deque((key, 1) for key in keys)
        fruitless = 0
        while todo:
            stream = self.connect()
            self.streams += 1
            try:
                replies, lost = self._pipeline(stream, todo, answers)
            finally:
                stream.close()
            self.replies += replies
            if lost is None:
                break
            fruitless = 0 if replies else fruitless + 1
            if fruitless < 2:
                continue
            if not self.replies:
                raise StreamLost(lost)
            while todo:
                key = todo.popleft()[0]
                answers[key] = {"rcode": "ERROR", "values": [], "error": lost}
        return answers

    def _pipeline(self, stream, todo, answers):
        """Ask ``todo`` on ``stream`` until every question has an answer or the stream is lost.
        Returns ``(replies, None)`` or ``(replies, why the stream was lost)``; on a loss the
        questions in flight go back to ``todo`` (or get an ``ERROR`` answer after two attempts)."""
        stream.setblocking(False)
        flying = {}  # message id -> (key, attempt, rdtype, deadline)
        out, pending = bytearray(), bytearray()
        next_id = random.randint(0, 0xFFFF)
        replies = 0
        broken = getattr(stream, "broken", None)
        while todo or flying:
            now = time.monotonic()
            while todo and len(flying) < self.window:
                key, attempt = todo.popleft()
                ident, next_id = free_message_id(flying, next_id)
                wanted = rdtype_number(key[1])
                try:
                    wire = query_wire(key[0], wanted, ident)
                except (UnicodeError, struct.error) as exc:
                    answers[key] = {"rcode": "ERROR", "values": [], "error": "cannot ask %s: %s" % (key[0], exc)}
                    continue
                out += struct.pack("!H", len(wire)) + wire
                flying[ident] = (key, attempt, wanted, now + self.timeout)
            if not flying:
                continue
            wait = max(0.0, min(entry[3] for entry in flying.values()) - time.monotonic())
            readable, writable = select.select([stream], [stream] if out else [], [],
                                               min(wait, BROKEN_POLL) if broken else wait)[:2]
            lost = broken() if broken and not readable else None
            if writable:
                try:
                    del out[:stream.send(out)]
                except (BlockingIOError, InterruptedError):
                    pass
                except (BrokenPipeError, ConnectionResetError):
                    lost = "the stream was closed"
                except OSError as exc:
                    lost = "writing to the stream failed: %s" % exc
            if readable:
                try:
                    data = stream.recv(READ_SIZE)
                except (BlockingIOError, InterruptedError):
                    data = None
                except ConnectionResetError:
                    data = b""
                except OSError as exc:
                    data, lost = None, "reading from the stream failed: %s" % exc
                if data == b"":
                    lost = "the stream was closed"
                elif data:
                    pending += data
                    replies += self._take(pending, flying, answers)
            if lost is not None:
                return replies, self._lost(stream, lost, flying, todo, answers)
            expire(flying, time.monotonic(), todo, answers, self.timeout)
        return replies, None

    @staticmethod
    def _take(pending, flying, answers):
        """Answer the questions whose whole replies are in ``pending`` (consumed); returns how many.
        A frame that is not a reply to a question in flight (an old id, a retried question's first
        answer, garbage) is skipped: the length prefix keeps the stream in step."""
        count = 0
        while len(pending) >= 2:
            size = struct.unpack("!H", pending[:2])[0]
            if len(pending) < 2 + size:
                break
            wire = bytes(pending[2:2 + size])
            del pending[:2 + size]
            reply, entry = reply_in_flight(wire, flying)
            if reply is None:
                continue
            count += 1
            answers[entry[0]] = tcp_answer(reply, entry[2])
        return count

    @staticmethod
    def _lost(stream, lost, flying, todo, answers):
        why = getattr(stream, "lost", None)
        reason = why() if why else None
        if reason:
            lost = "%s: %s" % (lost, reason)
        for key, attempt in [entry[:2] for entry in flying.values()]:
            if attempt < 2:
                todo.append((key, attempt + 1))
            else:
                answers[key] = {"rcode": "ERROR", "values": [], "error": lost}
        flying.clear()
        return lost
