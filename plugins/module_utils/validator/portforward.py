# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cluster DNS through the API server: the I/O of ``dns_transport=api``.

A pipeline runner outside the cluster reaches the API server, not the cluster DNS. So the dns
check lists the cluster DNS pods (``StatefulSetClient.pods``), picks one (``dns_pod.choose_dns_pod``),
opens a port-forward to it (the ``pods/portforward`` subresource, through ``kubernetes.stream`` on
the API client kubernetes.core built: its kubeconfig, credentials, TLS and proxy settings) and
asks its questions as DNS over TCP on that stream (``dns_stream.StreamDnsProbe``).

``ApiDnsProbe`` offers what ``DnsProbe`` offers (``resolve``, ``source``), so the runner and the
check do not care which path answered. Refusals become ``dns_pod.DnsPathError`` sentences.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import traceback

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.validator.client import ApiException
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_pod import (
    DnsPathError,
    choose_dns_pod,
    forward_refusal,
    listing_refusal,
    lost_stream,
    selector_text,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.dns_stream import StreamDnsProbe, StreamLost

try:
    import websocket
    from kubernetes.client import CoreV1Api
    from kubernetes.stream import portforward
    HAS_PORTFORWARD = True
    PORTFORWARD_IMPORT_ERROR = None
except ImportError:
    HAS_PORTFORWARD = False
    PORTFORWARD_IMPORT_ERROR = traceback.format_exc()

# seconds to wait for the API server to accept the websocket upgrade of a port-forward
OPEN_TIMEOUT = 30


# the name kubernetes.stream.ws_client.PortForward gives the thread that carries its data
PROXY_THREAD = "Kubernetes port forward proxy"


class ForwardedPort:
    """One port of a ``kubernetes.stream`` port-forward as the stream ``StreamDnsProbe`` reads: the
    client's end of its socket pair, why the API server closed it (its error channel), and whether
    the client's proxy thread still runs: when the websocket breaks under it (a write to a closed
    connection), that thread ends without closing the socket pair, so no end of stream would come."""

    def __init__(self, forward, port, proxy=None):
        self.forward = forward
        self.port = port
        self.proxy = proxy
        self.sock = forward.socket(port)

    def fileno(self):
        return self.sock.fileno()

    def setblocking(self, flag):
        self.sock.setblocking(flag)

    def send(self, data):
        return self.sock.send(data)

    def recv(self, size):
        return self.sock.recv(size)

    def lost(self):
        error = self.forward.error(self.port)
        if error and error.strip():
            return "the API server said: %s" % error.strip()
        return "the API server closed the port-forward without saying why"

    def broken(self):
        if self.proxy is not None and not self.proxy.is_alive():
            return "the port-forward stopped carrying data"
        return None

    def close(self):
        self.forward.close()
        if self.broken():  # nothing will close the websocket for us
            try:
                self.forward.websocket.shutdown()
            except Exception:  # pylint: disable=broad-except
                pass


class ClusterDns:
    """Lists the cluster DNS pods and opens port-forwards to them, through the API server."""

    def __init__(self, lister, dynamic_client):
        self.lister = lister
        self.dynamic = dynamic_client

    def dns_pods(self, namespace, terms):
        try:
            return self.lister.pods(namespace, selector_text(terms)).get("items") or []
        except ApiException as exc:
            raise DnsPathError(listing_refusal(exc, namespace, terms))

    def open(self, namespace, pod, port):
        """A ``ForwardedPort`` to ``port`` of ``pod``; ``DnsPathError`` when the API server refuses."""
        api_client = self.dynamic.client
        impersonation = sorted(h for h in getattr(api_client, "default_headers", None) or {}
                               if h.lower().startswith("impersonate-"))
        if impersonation:
            raise DnsPathError(
                "the port-forward to DNS pod %s/%s cannot carry the impersonation (%s headers, from impersonate_user or "
                "impersonate_groups): the kubernetes client's websocket sends only the credentials, so it would "
                "be made as the authenticated user instead; drop the impersonation, or ask a DNS server this host "
                "can reach with dns_transport=direct and dns_server" % (namespace, pod, ", ".join(impersonation)))
        previous = websocket.getdefaulttimeout()
        websocket.setdefaulttimeout(OPEN_TIMEOUT)
        running = set(threading.enumerate())
        try:
            api = CoreV1Api(api_client)
            forward = portforward(api.connect_get_namespaced_pod_portforward, pod, namespace, ports=str(port))
        except ApiException as exc:
            raise DnsPathError(forward_refusal(exc, namespace, pod, port))
        finally:
            websocket.setdefaulttimeout(previous)
        proxy = [thread for thread in threading.enumerate()
                 if thread not in running and thread.name.startswith(PROXY_THREAD)]
        return ForwardedPort(forward, port, proxy[0] if len(proxy) == 1 else None)


class ApiDnsProbe:
    """What ``DnsProbe`` offers, through the API server: the questions go as DNS over TCP, pipelined
    on one port-forward to a Running and Ready cluster DNS pod, with a timeout each and one retry."""

    def __init__(self, cluster, namespace, terms, port, timeout, window=256):
        self.cluster = cluster
        self.namespace = namespace
        self.terms = list(terms)
        self.port = port
        self.timeout = timeout
        self.window = window
        self.pod = None
        self.streams = 0

    @property
    def source(self):
        """Where the answers come from, for the report."""
        where = "%s/%s:%d" % (self.namespace, self.pod, self.port) if self.pod else \
            "a pod of %s in %s" % (selector_text(self.terms), self.namespace)
        return {"transport": "api", "server": "%s (port-forward through the API server)" % where,
                "dns_pod": {"namespace": self.namespace, "name": self.pod, "port": self.port,
                            "label_selector": selector_text(self.terms), "streams": self.streams}}

    def resolve(self, queries):
        """As ``DnsProbe.resolve``; ``DnsPathError`` when the cluster DNS cannot be asked at all."""
        if not queries:
            return {}
        pod = choose_dns_pod(self.cluster.dns_pods(self.namespace, self.terms), self.namespace, self.terms)
        self.pod = obj.meta(pod).get("name")
        probe = StreamDnsProbe(lambda: self.cluster.open(self.namespace, self.pod, self.port), self.timeout,
                               self.window)
        try:
            return probe.resolve(queries)
        except StreamLost as exc:
            raise DnsPathError(lost_stream(str(exc), self.namespace, self.pod, self.port))
        finally:
            self.streams = probe.streams
