# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS replies in wire form (RFC 1035 4.1, RFC 2782, RFC 3596) read by hand: pure functions.

The dns check reads thousands of replies; dnspython's ``Message.from_wire`` builds a full object
model for each (about 0.3 ms a reply here, and 0.1 s to import), where the check needs the header,
the question and the answer records of one type. ``parse_reply`` reads the whole message (every
section's records must be well formed, as for dnspython) and keeps only that; names are rendered as
dnspython renders them (lower case here, no final dot, the same escapes).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import socket
import struct
from collections import namedtuple

RDTYPES = {"A": 1, "PTR": 12, "AAAA": 28, "SRV": 33}
RDTYPE_NAMES = dict((value, key) for key, value in RDTYPES.items())
# RFC 1035 4.1.1, RFC 2136 2.2, RFC 6895 2.3: the header's four-bit RCODE
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN",
          7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE"}
FLAG_QR = 0x8000
FLAG_TC = 0x0200

# (id, flags, rcode text, question (name, type) or None, [(type, value)]) of one reply
Reply = namedtuple("Reply", "id flags rcode question answers")

_ESCAPED = frozenset(b'"().;\\@$')
# a label of these bytes reads as itself (the usual case: the escapes are for the rest)
_PLAIN = re.compile(b"[A-Za-z0-9_*/+=:,#%&'!?^`{|}~<>[\\]-]*\\Z")
_HEADER = struct.Struct("!HHHHHH")
_RR = struct.Struct("!HHIH")


class WireError(ValueError):
    """A message that is not a well-formed DNS message."""


def rdtype_number(text):
    """``"A"`` -> 1: the record types the dns check asks (``KeyError`` for another)."""
    return RDTYPES[text.upper()]


def _label_text(label):
    if _PLAIN.match(label):
        return label.decode("ascii")
    out = []
    for byte in bytearray(label):
        if byte in _ESCAPED:
            out.append("\\" + chr(byte))
        elif 0x20 < byte < 0x7F:
            out.append(chr(byte))
        else:
            out.append("\\%03d" % byte)
    return "".join(out)


def read_name(wire, offset):
    """The domain name at ``offset`` (compression pointers followed, RFC 1035 4.1.4) as text, lower
    case, without the final dot (the root is ``""``), and the offset after it in the message."""
    labels = []
    end = None
    seen = 0
    size_total = 0
    length = len(wire)
    while True:
        if offset >= length:
            raise WireError("name runs past the end of the message")
        size = wire[offset]
        if size & 0xC0 == 0xC0:
            if offset + 1 >= length:
                raise WireError("truncated compression pointer")
            if end is None:
                end = offset + 2
            target = ((size & 0x3F) << 8) | wire[offset + 1]
            seen += 1
            if target >= offset or seen > 127:
                raise WireError("bad compression pointer")
            offset = target
            continue
        if size & 0xC0:
            raise WireError("unknown label type")
        offset += 1
        if size == 0:
            break
        if offset + size > length:
            raise WireError("label runs past the end of the message")
        labels.append(_label_text(wire[offset:offset + size]))
        offset += size
        size_total += size + 1
        if size_total > 254:  # with the root's zero byte, at most 255 (RFC 1035 3.1)
            raise WireError("name longer than 255 bytes")
    return ".".join(labels).lower(), (end if end is not None else offset)


def _rdata_value(wire, rtype, start, size):
    if rtype == 1:
        if size != 4:
            raise WireError("A record of %d bytes" % size)
        return socket.inet_ntop(socket.AF_INET, bytes(wire[start:start + 4]))
    if rtype == 28:
        if size != 16:
            raise WireError("AAAA record of %d bytes" % size)
        return socket.inet_ntop(socket.AF_INET6, bytes(wire[start:start + 16]))
    if rtype == 12:
        name, after = read_name(wire, start)
        if after != start + size:
            raise WireError("PTR record of the wrong length")
        return name
    if rtype == 33:
        if size < 7:
            raise WireError("SRV record of %d bytes" % size)
        port = struct.unpack_from("!H", wire, start + 4)[0]
        target, after = read_name(wire, start + 6)
        if after != start + size:
            raise WireError("SRV record of the wrong length")
        return "%s:%d" % (target, port)
    return None


def parse_reply(wire, wanted=None):
    """A DNS message -> ``Reply``; ``answers`` holds the answer records of type ``wanted`` (all the
    types above when None) as ``(type, value)``: an address (A, AAAA), a name (PTR), ``target:port``
    (SRV). Every record of every section is read; ``WireError`` when the message is not well formed.
    Bytes after the message are ignored."""
    wire = memoryview(wire).cast("B") if not isinstance(wire, (bytes, bytearray)) else wire
    if len(wire) < 12:
        raise WireError("message shorter than its header")
    ident, flags, qdcount, ancount, nscount, arcount = _HEADER.unpack_from(wire, 0)
    offset = 12
    question = None
    for _index in range(qdcount):
        name, offset = read_name(wire, offset)
        if offset + 4 > len(wire):
            raise WireError("truncated question")
        qtype = struct.unpack_from("!H", wire, offset)[0]
        offset += 4
        if question is None:
            question = (name, qtype)
    if qdcount != 1:
        question = None
    answers = []
    for index in range(ancount + nscount + arcount):
        _name, offset = read_name(wire, offset)
        if offset + 10 > len(wire):
            raise WireError("truncated record")
        rtype, _rclass, _ttl, size = _RR.unpack_from(wire, offset)
        offset += 10
        if offset + size > len(wire):
            raise WireError("record data runs past the end of the message")
        if index < ancount and (rtype == wanted or (wanted is None and rtype in RDTYPE_NAMES)):
            value = _rdata_value(wire, rtype, offset, size)
            if value is not None:
                answers.append((rtype, value))
        offset += size
    rcode = flags & 0x000F
    return Reply(ident, flags, RCODES.get(rcode, str(rcode)), question, answers)


def answer_values(reply, wanted):
    """A ``Reply`` -> ``{"rcode", "values", "error"}``: the values of its answer records of type
    ``wanted``, sorted."""
    return {"rcode": reply.rcode, "values": sorted(v for t, v in reply.answers if t == wanted), "error": None}


def tcp_answer(reply, wanted):
    """``answer_values`` of a reply that came over TCP: one still truncated (TC) holds only part of the
    records (a message holds at most 65,535 bytes, about 4,090 addresses), so it is an error, not an
    answer, marked ``truncated`` with the number of records it ``held``; both DNS paths read TCP
    replies so."""
    if reply.flags & FLAG_TC:
        return {"rcode": "ERROR", "values": [], "truncated": True,
                "held": sum(1 for t, _v in reply.answers if t == wanted),
                "error": "the reply was truncated (TC bit) even over TCP: it does not fit in 65535 bytes"}
    return answer_values(reply, wanted)


def matches_question(reply, qname, wanted):
    """Is ``reply`` a response to the question ``(qname, wanted)`` (qname lower case, no final dot)?"""
    return bool(reply.flags & FLAG_QR) and reply.question is not None and reply.question[1] == wanted \
        and reply.question[0] == qname
