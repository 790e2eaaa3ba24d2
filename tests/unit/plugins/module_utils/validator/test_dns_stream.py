# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS over one TCP stream: StreamDnsProbe against a DNS responder on the other end of a real
socket pair (dns_responder.py): framing, pipelining, order, split replies, TC, timeouts, a lost stream."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import struct
import time

import dns.message
import pytest

from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_probe import DnsProbe
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_stream import StreamDnsProbe, StreamLost
from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.dns_responder import Streams

SVC = "web.ns.svc.cluster.local"
TABLE = dict([(("web-%d.%s" % (i, SVC), "A"), ["10.1.0.%d" % (i + 10)]) for i in range(20)] + [
    (("10.0.1.10.in-addr.arpa", "PTR"), ["web-0.%s." % SVC]),
    (("_http._tcp." + SVC, "SRV"), ["0 100 8080 web-%d.%s." % (i, SVC) for i in range(20)]),
])
QUESTIONS = [("web-%d.%s" % (i, SVC), "A") for i in range(20)] + [
    ("10.0.1.10.in-addr.arpa", "PTR"), ("_http._tcp." + SVC, "SRV")]


def expected(question):
    values = TABLE[question]
    if question[1] == "SRV":
        return sorted("%s:%s" % (v.split()[3].rstrip("."), v.split()[2]) for v in values)
    return sorted(v.rstrip(".") for v in values)


def assert_all_answered(answers):
    assert set(answers) == set(QUESTIONS)
    for question in QUESTIONS:
        assert answers[question] == {"rcode": "NOERROR", "values": expected(question), "error": None}, question


def test_many_questions_on_one_stream_with_length_prefixes():
    streams = Streams(TABLE)
    probe = StreamDnsProbe(streams, 1.0)
    answers = probe.resolve(QUESTIONS + [("WEB-0.%s." % SVC, "A")])
    assert_all_answered(answers)
    assert probe.streams == 1 and len(streams.responders) == 1
    assert len(streams.asked) == len(QUESTIONS)  # the duplicate (case, final dot) is asked once
    # each frame the responder read is exactly one query, as DnsProbe builds it
    frame = streams.responders[0].frames[0]
    assert frame == DnsProbe._query_wire("web-0." + SVC, 1, struct.unpack("!H", frame[:2])[0])


def test_pipelined_questions_do_not_wait_for_each_answer():
    # the responder answers only once it holds all 22 questions: a probe that waited for each
    # answer before the next question would time out instead
    streams = Streams(TABLE, lambda n: {"batch": len(QUESTIONS)})
    answers = StreamDnsProbe(streams, 2.0).resolve(QUESTIONS)
    assert_all_answered(answers)
    assert len(streams.asked) == len(QUESTIONS)  # each asked once: none waited for its timeout


def test_replies_out_of_order_are_matched_by_id_and_question():
    streams = Streams(TABLE, lambda n: {"batch": 11})  # every 11 replies come in reverse order
    assert_all_answered(StreamDnsProbe(streams, 1.0).resolve(QUESTIONS))


@pytest.mark.parametrize("chunk", [1, 7, 300])
def test_a_reply_split_across_reads_is_put_together(chunk):
    # byte by byte, the length prefix itself split; the SRV reply (20 targets, > 512 bytes) in many pieces
    streams = Streams(TABLE, lambda n: {"chunk": chunk})
    answers = StreamDnsProbe(streams, 2.0).resolve(QUESTIONS)
    assert_all_answered(answers)
    assert len(dns.message.make_response(dns.message.make_query("_http._tcp." + SVC, "SRV")).to_wire()) < 512
    assert len(answers[("_http._tcp." + SVC, "SRV")]["values"]) == 20


def test_frames_that_answer_nothing_are_skipped():
    streams = Streams(TABLE, lambda n: {"garbage": True})
    assert_all_answered(StreamDnsProbe(streams, 1.0).resolve(QUESTIONS))


def test_a_truncated_reply_is_an_error_not_a_partial_answer():
    streams = Streams(TABLE, lambda n: {"truncated": {"_http._tcp." + SVC}})
    answers = StreamDnsProbe(streams, 1.0).resolve(QUESTIONS)
    srv = answers[("_http._tcp." + SVC, "SRV")]
    assert srv["rcode"] == "ERROR" and srv["values"] == []
    assert "truncated (TC bit) even over TCP" in srv["error"] and srv["truncated"] is True
    assert answers[("web-0." + SVC, "A")]["values"] == ["10.1.0.10"]


def test_a_question_without_answer_is_asked_once_more_on_the_same_stream():
    streams = Streams(TABLE, lambda n: {"silent_once": {"web-3." + SVC}})
    answers = StreamDnsProbe(streams, 0.3).resolve(QUESTIONS)
    assert_all_answered(answers)
    assert streams.asked.count(("web-3." + SVC, "A")) == 2
    assert len(streams.responders) == 1


def test_a_silent_name_times_out_after_one_retry_and_does_not_hold_up_the_others():
    streams = Streams(TABLE, lambda n: {"silent": {"web-5." + SVC}})
    started = time.monotonic()
    answers = StreamDnsProbe(streams, 0.3).resolve(QUESTIONS)
    elapsed = time.monotonic() - started
    assert answers[("web-5." + SVC, "A")] == {"rcode": "TIMEOUT", "values": [], "error": "no reply within 0.3 s"}
    assert streams.asked.count(("web-5." + SVC, "A")) == 2
    assert answers[("web-6." + SVC, "A")]["values"] == ["10.1.0.16"]
    assert 0.6 <= elapsed < 3.0  # two timeouts of 0.3 s, not one per question


def test_unknown_names_are_nxdomain():
    answers = StreamDnsProbe(Streams(TABLE), 1.0).resolve([("web-99." + SVC, "A")])
    assert answers[("web-99." + SVC, "A")] == {"rcode": "NXDOMAIN", "values": [], "error": None}


def test_a_stream_closed_midway_is_reopened_for_the_questions_in_flight():
    streams = Streams(TABLE, lambda n: {"close_after": 7} if n == 0 else {})
    probe = StreamDnsProbe(streams, 1.0, window=10)
    assert_all_answered(probe.resolve(QUESTIONS))
    assert probe.streams == 2


def test_a_stream_that_never_answers_is_lost_after_one_retry_and_says_why():
    streams = Streams(TABLE, lambda n: {"close_after": 0}, lost="the API server said: lost connection to pod")
    probe = StreamDnsProbe(streams, 1.0)
    with pytest.raises(StreamLost) as lost:
        probe.resolve(QUESTIONS)
    assert str(lost.value) == "the stream was closed: the API server said: lost connection to pod"
    assert probe.streams == 2


def test_when_streams_keep_closing_after_some_answers_the_rest_are_errors():
    streams = Streams(TABLE, lambda n: {"close_after": 3} if n == 0 else {"close_after": 0})
    answers = StreamDnsProbe(streams, 1.0, window=4).resolve(QUESTIONS)
    assert sum(1 for a in answers.values() if a["rcode"] == "NOERROR") == 3
    errors = [a for a in answers.values() if a["rcode"] == "ERROR"]
    assert len(errors) == len(QUESTIONS) - 3 and errors[0]["error"] == "the stream was closed"
    assert len(streams.responders) == 3


def test_no_questions_open_no_stream():
    streams = Streams(TABLE)
    assert StreamDnsProbe(streams, 1.0).resolve([]) == {}
    assert streams.responders == []
