# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options of the DNS resolver that checks cluster DNS records (argument spec:
``DNS_RESOLVER_ARG_SPEC`` in ``plugins/module_utils/validator/options.py``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  dns_server:
    description:
      - Address of the DNS server to ask (the cluster DNS, for example CoreDNS).
      - Queries go to this server only; the resolver configuration of the host is not used.
    type: str
    default: 127.0.0.1
  dns_port:
    description:
      - Port of O(dns_server), UDP with a fallback to TCP for truncated answers.
      - The stateful.nfs lab serves cluster DNS on port C(10053).
    type: int
    default: 53
  dns_timeout:
    description:
      - Seconds to wait for each answer. A query that gets no answer is tried once more, then
        reported as a timeout.
    type: float
    default: 2.0
  cluster_domain:
    description:
      - The cluster DNS domain, the last part of C(<pod>.<service>.<namespace>.svc.<cluster_domain>).
    type: str
    default: cluster.local
"""
