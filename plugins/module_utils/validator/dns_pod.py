# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster DNS pod that ``statefulset_validate`` asks through the API server (pure, no I/O).

``choose_dns_pod`` picks the pod to port-forward to from the pods the selector listed;
``api_failure`` reads what the API server said from a refused request (a plain ``ApiException``
or the one ``kubernetes.stream`` makes of a refused websocket upgrade); ``forward_refusal`` and
``listing_refusal`` turn that into one sentence that names the pod, the verb and the resource. Every
refusal is a ``DnsPathError``: the dns check cannot ask anything, so the task fails with it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj

# what kubernetes.stream.ws_client makes of a refused websocket upgrade (websocket-client's
# WebSocketBadStatusException text, wrapped in an ApiException with status 0)
_HANDSHAKE_RE = re.compile(r"Handshake status (?P<status>\d{3}) ?(?P<reason>[^\n]*?) -\+-\+- .* -\+-\+- (?P<body>.*)$",
                           re.S)
RBAC_HINT = "docs/statefulset_validate.md, \"Permissions\""
DIRECT_HINT = "or ask a DNS server this host can reach with dns_transport=direct and dns_server"


class DnsPathError(Exception):
    """The cluster DNS cannot be asked through the API server; the message says why and what to change."""


def selector_text(terms):
    return ",".join(terms)


def _pod_state(pod):
    name = obj.meta(pod).get("name")
    if obj.is_terminating(pod):
        return "%s is terminating" % name
    return "%s: %s" % (name, obj.not_ready_reason(pod))


def choose_dns_pod(pods, namespace, terms):
    """The DNS pod to ask: Running, Ready and not terminating; the first such by name, so that a
    run is repeatable. Raises ``DnsPathError`` naming the namespace and selector, and the state of
    every pod found when none of them will do."""
    selector = selector_text(terms)
    if not pods:
        raise DnsPathError("no pod in namespace %s matches the label selector %s (dns_pod_namespace, "
                           "dns_pod_label_selectors), so there is no cluster DNS pod to ask through the API server: "
                           "set them to where the cluster DNS pods run, %s" % (namespace, selector, DIRECT_HINT))
    usable = [pod for pod in pods if not obj.is_terminating(pod) and obj.is_ready(pod)
              and obj.status(pod).get("phase") == "Running"]
    if not usable:
        raise DnsPathError("no Running and Ready DNS pod in namespace %s matches %s: %s"
                           % (namespace, selector, "; ".join(_pod_state(pod) for pod in pods)))
    return sorted(usable, key=lambda pod: obj.meta(pod).get("name") or "")[0]


def api_failure(exc):
    """``(status, reason, message)`` of a refused request: the HTTP status (None when there was no
    HTTP answer), its reason phrase, and the API server's own sentence (its Status ``message``) or
    the connection error."""
    status, reason, body = getattr(exc, "status", None), getattr(exc, "reason", None), getattr(exc, "body", None)
    if not status:
        cause = exc.__context__ if exc.__context__ is not None else exc.__cause__
        if getattr(cause, "status_code", None):
            status, reason, body = cause.status_code, getattr(cause, "status_message", None) or reason, \
                getattr(cause, "resp_body", None)
        else:
            match = _HANDSHAKE_RE.search(str(reason or ""))
            if match:
                status, reason, body = int(match.group("status")), match.group("reason"), match.group("body")
            else:
                return None, None, str(reason or exc)
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    message = None
    if body and body != "None":
        try:
            message = json.loads(body).get("message")
        except (ValueError, AttributeError):
            message = body.strip()[:300]
    return int(status), (reason or "").strip() or None, message


def _said(status, reason, message):
    text = "%s %s" % (status, reason) if reason else str(status)
    return "%s: %s" % (text, message) if message else text


def forward_refusal(exc, namespace, pod, port):
    """The sentence for a port-forward the API server did not open."""
    status, reason, message = api_failure(exc)
    where = "the port-forward to DNS pod %s/%s port %d through the API server" % (namespace, pod, port)
    if status is None:
        return "%s could not be opened: %s" % (where, message)
    if status == 401:
        return "%s was refused: %s: the API server did not accept the credentials" % (
            where, _said(status, reason, message))
    if status == 403:
        return ("%s was refused: %s. Asking the cluster DNS through the API server needs the verbs get and create on "
                "pods/portforward in namespace %s (the websocket upgrade is a GET; Kubernetes 1.35 and later also "
                "check create): see %s, %s"
                % (where, _said(status, reason, message), namespace, RBAC_HINT, DIRECT_HINT))
    if status == 404:
        return ("%s found no pod: %s. The pod was listed a moment before; it may have been replaced, so run again"
                % (where, _said(status, reason, message)))
    return "%s failed: %s" % (where, _said(status, reason, message))


def listing_refusal(exc, namespace, terms):
    """The sentence for a refused list of the DNS pods."""
    status, reason, message = api_failure(exc)
    where = "listing the cluster DNS pods (namespace %s, label selector %s; dns_pod_namespace, " \
            "dns_pod_label_selectors)" % (namespace, selector_text(terms))
    if status == 403:
        return "%s was refused: %s. It needs the verb list on pods in namespace %s: see %s, %s" % (
            where, _said(status, reason, message), namespace, RBAC_HINT, DIRECT_HINT)
    if status is None:
        return "%s failed: %s" % (where, message)
    return "%s failed: %s" % (where, _said(status, reason, message))


def lost_stream(reason, namespace, pod, port):
    """The sentence for a port-forward that closed before the DNS pod answered anything."""
    return ("the port-forward to DNS pod %s/%s port %d closed before any answer (%s): nothing listens for DNS over "
            "TCP on that port of the pod, or the API server or kubelet dropped the stream; check dns_pod_port"
            % (namespace, pod, port, reason))
