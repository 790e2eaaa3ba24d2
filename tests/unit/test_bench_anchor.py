# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shell anchor of the validator benchmark (bench/validator/anchor.awk): it passes the answers
of a healthy StatefulSet and fails, naming it, every wrong or missing record or claim."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import pytest

AWK = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "validator", "anchor.awk")
NS, STS = "bench", "web"
pytestmark = pytest.mark.skipif(shutil.which("awk") is None, reason="awk is not installed")


def fqdn(ordinal):
    return "%s-%d.%s.%s.svc.cluster.local." % (STS, ordinal, STS, NS)


def healthy(count=3):
    """(objects, dig answers) of a finished StatefulSet of ``count`` pods with pinned claims."""
    objects, answers = [], []
    for i in range(count):
        ip = "10.244.64.%d" % (i + 10)
        objects.append("Pod %s-%d %s Running" % (STS, i, ip))
        objects.append("PersistentVolumeClaim data-%s-%d pv%03d Bound" % (STS, i, i))
        answers.append("%s\t5\tIN\tA\t%s" % (fqdn(i), ip))
        answers.append("%d.64.244.10.in-addr.arpa.\t5\tIN\tPTR\t%s" % (i + 10, fqdn(i)))
    return objects, answers


def compare(tmp_path, objects, answers, pins="pv"):
    (tmp_path / "objects").write_text("\n".join(objects) + "\n")
    (tmp_path / "answers").write_text("\n".join(answers) + "\n")
    out = subprocess.run(["awk", "-v", "svc=" + STS, "-v", "ns=" + NS, "-v", "sts=" + STS, "-v", "domain=cluster.local",
                          "-v", "claim=data", "-v", "pins=" + pins, "-f", AWK, str(tmp_path / "objects"),
                          str(tmp_path / "answers")], capture_output=True, text=True, check=False)
    return out.returncode, out.stdout


def test_a_healthy_statefulset_passes(tmp_path):
    assert compare(tmp_path, *healthy()) == (0, "")


def test_upper_case_answers_are_the_same_names(tmp_path):
    objects, answers = healthy()
    answers[1] = answers[1].upper()  # a PTR target in upper case
    assert compare(tmp_path, objects, answers)[0] == 0


@pytest.mark.parametrize("change,expected", [
    (lambda o, a: a.__setitem__(0, a[0].replace("10.244.64.10", "10.244.64.99")), "A %s: 10.244.64.99 != 10.244.64.10"),
    (lambda o, a: a.pop(0), "A %s: (none) != 10.244.64.10"),
    (lambda o, a: a.append("%s\t5\tIN\tA\t10.244.64.77" % fqdn(0)), "A %s: 10.244.64.10 10.244.64.77 != 10.244.64.10"),
    (lambda o, a: a.pop(1), "PTR 10.244.64.10: (none) != %s"),
    (lambda o, a: a.append("10.64.244.10.in-addr.arpa.\t5\tIN\tPTR\tweb-0.other.bench.svc.cluster.local."),
     "PTR 10.244.64.10: %s web-0.other.bench.svc.cluster.local. != %s"),
    (lambda o, a: o.__setitem__(1, "PersistentVolumeClaim data-web-0 pv007 Bound"), "claim data-web-0: 'pv007 Bound'"),
    (lambda o, a: o.__setitem__(1, "PersistentVolumeClaim data-web-0  Pending"), "claim data-web-0: 'Pending '"),
    (lambda o, a: o.pop(1), "claim data-web-0: '' != 'pv000 Bound'"),
])
def test_every_wrong_answer_or_claim_fails_and_is_named(tmp_path, change, expected):
    objects, answers = healthy()
    change(objects, answers)
    code, out = compare(tmp_path, objects, answers)
    assert code == 1
    assert expected.replace("%s", fqdn(0)) in out, out
    assert len(out.splitlines()) == 1  # the other pods are fine


def test_no_pods_fails(tmp_path):
    assert compare(tmp_path, [], [])[0] == 1


def test_without_pins_the_claims_are_not_compared(tmp_path):
    objects, answers = healthy()
    objects = [line for line in objects if line.startswith("Pod ")]
    assert compare(tmp_path, objects, answers, pins="") == (0, "")
