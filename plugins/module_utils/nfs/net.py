# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether something listens on a TCP port: the one connect check of the NFS area.

The Ganesha daemon (ganesha_process.py) waits with it for its listener after a start; the probes
(``Libnfs.listening``) use it to tell a stopped server from other libnfs errors, which libnfs reports
only as "nfs_service failed".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket


def listening(host, port, timeout=3):
    """Whether a TCP connection to ``host``:``port`` is accepted within ``timeout`` seconds."""
    try:
        conn = socket.create_connection((host, int(port)), timeout=timeout)
    except (socket.error, OSError):
        return False
    conn.close()
    return True
