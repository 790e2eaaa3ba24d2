# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A loopback stand-in for the two API server calls of ``dns_transport=api``: the pod list, and
the websocket upgrade of ``pods/<name>/portforward`` with its channel protocol (a data and an
error channel per port, each opened by a frame with the port number; data frames carry the
channel byte first). Behind the port-forward a ``StreamResponder`` answers DNS over TCP.

It lets the tests drive the real ``kubernetes.stream.portforward`` (websocket-client underneath)
and see what it makes of a refused upgrade, an error on the error channel and a dropped stream.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import socket
import struct
import threading
import urllib.parse
import urllib.request

from kubernetes.client import ApiClient, Configuration

from ansible_collections.stateful.nfs.tests.unit.plugins.module_utils.validator.dns_responder import StreamResponder

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 1.3


def _read_exact(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def read_frame(conn):
    """One websocket frame from the client (masked): ``(opcode, payload)``."""
    first, second = _read_exact(conn, 2)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack("!H", _read_exact(conn, 2))[0]
    elif size == 127:
        size = struct.unpack("!Q", _read_exact(conn, 8))[0]
    mask = _read_exact(conn, 4) if second & 0x80 else b"\0\0\0\0"
    payload = _read_exact(conn, size)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def write_frame(conn, payload, opcode=0x2):
    """One unmasked websocket frame from the server."""
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", 0x80 | opcode, size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 126, size)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, size)
    conn.sendall(header + payload)


class FakeApiServer:
    """``pods``: the pod list it returns; ``forward``: what a port-forward does - ``"dns"`` (serve
    ``table``), ``("refuse", status, reason, message)``, ``("error", text)`` (a message on the
    error channel) or ``"drop"`` (close the websocket after the channel frames)."""

    def __init__(self, pods=(), forward="dns", table=None):
        self.pods = list(pods)
        self.forward = forward
        self.table = table or {}
        self.requests = []
        self.responders = []
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.host = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.listener.close()

    def _accept(self):
        while True:
            try:
                conn = self.listener.accept()[0]
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
            method, target = lines[0].split(" ")[:2]
            headers = dict((k.strip().lower(), v.strip()) for k, v in (line.split(":", 1) for line in lines[1:]))
            url = urllib.parse.urlsplit(target)
            self.requests.append((method, url.path, dict(urllib.parse.parse_qsl(url.query)), headers))
            if url.path.endswith("/portforward"):
                self._portforward(conn, headers, int(dict(urllib.parse.parse_qsl(url.query))["ports"]))
            else:
                self._respond(conn, 200, "OK", {"kind": "PodList", "metadata": {}, "items": self.pods})
        except (OSError, EOFError):
            pass
        finally:
            conn.close()

    @staticmethod
    def _respond(conn, status, reason, body):
        data = json.dumps(body).encode()
        conn.sendall(b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (status, reason.encode(), len(data), data))

    def _portforward(self, conn, headers, port):
        if isinstance(self.forward, tuple) and self.forward[0] == "refuse":
            _kind, status, reason, message = self.forward
            self._respond(conn, status, reason, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                                 "message": message, "reason": reason, "code": status})
            return
        accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + WS_GUID).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n" % accept)
        write_frame(conn, struct.pack("<BH", 0, port))
        write_frame(conn, struct.pack("<BH", 1, port))
        if self.forward == "drop":
            write_frame(conn, struct.pack("!H", 1000), opcode=0x8)
            return
        if isinstance(self.forward, tuple) and self.forward[0] == "error":
            write_frame(conn, b"\x01" + self.forward[1].encode())
            write_frame(conn, struct.pack("!H", 1000), opcode=0x8)
            return
        ours, theirs = socket.socketpair()
        self.responders.append(StreamResponder(theirs, self.table))
        sending = threading.Lock()

        def to_client():
            try:
                while True:
                    data = ours.recv(65536)
                    if not data:
                        return
                    with sending:
                        write_frame(conn, b"\x00" + data)
            except OSError:  # the client went away, or the stream was closed below
                return

        threading.Thread(target=to_client, daemon=True).start()
        try:
            while True:
                opcode, payload = read_frame(conn)
                if opcode == 0x8:
                    return
                if opcode == 0x2 and payload[:1] == b"\x00":
                    ours.sendall(payload[1:])
        finally:
            ours.shutdown(socket.SHUT_RDWR)


class RawDynamic:
    """Stands in for kubernetes.core's dynamic client: ``request`` returns the raw response (as
    ``StatefulSetClient`` asks for it) and ``client`` is a real ``ApiClient`` for the server."""

    def __init__(self, host):
        self.host = host
        configuration = Configuration()
        configuration.host = host
        self.client = ApiClient(configuration)

    def request(self, method, path, query_params=None, header_params=None, _request_timeout=None, serialize=True):
        url = "%s%s?%s" % (self.host, path, urllib.parse.urlencode(query_params or []))
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as resp:
            return _Response(resp.read())


class _Response:
    def __init__(self, data):
        self.data = data

    def release_conn(self):
        pass
