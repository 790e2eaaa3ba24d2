#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_exports_info
short_description: Read what an NFS server actually exports and compare it with what was asked
version_added: 0.1.0
description:
  - For the V(kernel) backend, runs C(exportfs -v) and parses it; every requested client of every export must
    be there with the requested options, and no other client may be granted a requested path. Options that
    C(exportfs -v) never prints (V(secure), V(insecure)) are listed in RV(unverified).
  - For the V(ganesha) backend, checks that the instance named by O(pid_file) runs with O(config), lists the
    NFSv4 pseudo root and every export's pseudo path through NFS with C(nfs-ls) (libnfs-utils), and reports
    exports that are not served and top-level pseudo entries nobody asked for. An export that does not admit
    the address this host probes from (O(client_address)) cannot be listed from here; it is reported in
    RV(unverified) instead of as a problem.
  - Read-only; it never fails because of a mismatch, it reports it in RV(problems) (see RV(matches)).
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - stateful.nfs.nfs_exported
attributes:
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details: Only reads; runs the same in check mode.
  diff_mode:
    support: none
requirements:
  - C(exportfs) (nfs-kernel-server / nfs-utils) for the kernel backend.
  - C(nfs-ls) (libnfs-utils) for the ganesha backend.
options:
  backend:
    description: Which server serves O(exports).
    type: str
    choices: [kernel, ganesha]
    required: true
  pid_file:
    description: Pid file of the Ganesha instance (ganesha backend without systemd). Empty to skip the pid check.
    type: path
  config:
    description: Configuration file the Ganesha instance must run with.
    type: path
    default: /etc/ganesha/ganesha.conf
  client_address:
    description:
      - Address this host's NFS requests come from. Defaults to each export's server address (true when the
        probe runs on the server itself).
    type: str
  timeout:
    description: Seconds allowed for each C(nfs-ls) (at least 1).
    type: int
    default: 15
seealso:
  - module: stateful.nfs.nfs_exports_validate
  - module: stateful.nfs.nfs_probe
"""

EXAMPLES = r"""
- name: Compare exportfs -v with the requested exports
  stateful.nfs.nfs_exports_info:
    backend: kernel
    exports: "{{ nfs_server_exported }}"
  register: served

- name: Fail on any difference
  ansible.builtin.assert:
    that: served.matches
    fail_msg: "{{ served.problems }}"
"""

RETURN = r"""
matches:
  description: Whether RV(problems) is empty.
  returned: always
  type: bool
  sample: true
problems:
  description: Differences between what was asked and what the server exports, each naming the export.
  returned: always
  type: list
  elements: str
  sample: ["export 'v2' (/nfs-data/v2): client 'db-1' is not exported (exportfs shows 10.0.0.0/8)"]
unverified:
  description: What could not be checked from this host, and why.
  returned: always
  type: list
  elements: str
  sample: ["export 'v1' client '10.0.0.0/8': secure (exportfs -v never shows it)"]
exportfs:
  description: Parsed C(exportfs -v) output (kernel backend).
  returned: when backend is kernel
  type: list
  elements: dict
  sample: [{path: /nfs-data/v1, client: "*", options: [sync, wdelay, hide, no_subtree_check, sec=sys, rw]}]
other_exports:
  description: Exports of paths that were not asked for (another exports file); not a problem.
  returned: when backend is kernel
  type: list
  elements: dict
  sample: []
daemon:
  description: The Ganesha instance (ganesha backend).
  returned: when backend is ganesha
  type: dict
  sample: {running: true, pid: 4242, config: /etc/ganesha/ganesha.conf}
pseudo_root:
  description: Names the NFSv4 pseudo root lists, per server address and port (ganesha backend).
  returned: when backend is ganesha
  type: list
  elements: str
  sample: [nfs-data]
served:
  description: Per export, whether its pseudo path could be listed over NFS (ganesha backend).
  returned: when backend is ganesha
  type: list
  elements: dict
  sample: [{name: v1, url: "nfs://127.0.0.1/nfs-data/v1?version=4", listed: true, error: ""}]
"""

import os
import socket

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.nfs_exports import (
    EXPORTED_ARG_SPEC,
    client_allows,
    compare_kernel_exports,
    parse_exportfs_v,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs_ganesha import find_instance
from ansible_collections.stateful.nfs.plugins.module_utils.nfs_probe import (
    Libnfs,
    compare_pseudo_root,
    explain_failure,
    nfs_url,
    parse_nfs_ls,
)


class ServerReader(object):
    """The I/O: exportfs and name resolution (libnfs and /proc through their module_utils helpers)."""

    def __init__(self, module):
        self.module = module

    def exportfs(self):
        exportfs = self.module.get_bin_path("exportfs", required=True, opt_dirs=["/usr/sbin", "/sbin"])
        rc, out, err = self.module.run_command([exportfs, "-v"])
        if rc != 0:
            self.module.fail_json(msg="exportfs -v failed (rc %d): %s" % (rc, err or out))
        return out

    @staticmethod
    def host_aliases(hosts):
        aliases = {}
        for host in hosts:
            names = set()
            try:
                for _fam, _type, _proto, canon, addr in socket.getaddrinfo(host, None, 0, 0, 0,
                                                                           socket.AI_CANONNAME):
                    names.add(addr[0])
                    if canon:
                        names.add(canon)
            except socket.gaierror:
                pass
            aliases[host] = sorted(names)
        return aliases


def kernel_info(module, reader):
    exports = module.params["exports"]
    text = reader.exportfs()
    try:
        actual = parse_exportfs_v(text)
    except ValueError as exc:
        module.fail_json(msg="cannot parse exportfs -v output: %s" % exc, stdout=text)
    hostnames = set(c["host"] for e in exports for c in e["client_options"])
    hostnames = [h for h in hostnames if client_allows(h, "127.0.0.1") is None and not h.startswith("@")
                 and "*" not in h and "?" not in h]
    result = compare_kernel_exports(exports, actual, reader.host_aliases(hostnames))
    return dict(exportfs=actual, **result)


def ganesha_info(module):
    params = module.params
    problems, unverified = [], []
    daemon = None
    if params["pid_file"]:
        daemon = find_instance(params["pid_file"], params["config"])
        if not daemon["running"]:
            problems.append("NFS-Ganesha is not running with %s: %s" % (params["config"], daemon["why"]))
    served = []
    listed = []
    roots = {}
    for export in params["exports"]:
        key = (export["server"], export["port"])
        roots.setdefault(key, []).append(export["pseudo"])
    nfs = Libnfs(module, params["timeout"])
    roots = sorted(roots.items())
    root_urls = [nfs_url(server, "/", port=port) for (server, port), _pseudos in roots]
    export_urls = [nfs_url(export["server"], export["pseudo"], port=export["port"]) for export in params["exports"]]
    # Every listing is independent: all at the same time, results in order.
    listings = nfs.map(lambda url: nfs.run("nfs-ls", url), root_urls + export_urls)
    for ((server, port), pseudos), url, (rc, out, err) in zip(roots, root_urls, listings):
        if rc != 0:
            reason = explain_failure(err + out, nfs.listening(server, port))
            problems.append("cannot list the NFSv4 pseudo root %s: %s (%s)" % (url, reason, (err or out).strip()))
            continue
        names = parse_nfs_ls(out)
        listed.extend(names)
        extra = compare_pseudo_root(pseudos, names)
        if extra:
            problems.append("the pseudo root of %s:%d also lists %s, which no export asked for (another "
                            "configuration exports it)" % (server, port, ", ".join(extra)))
    for export, url, (rc, out, err) in zip(params["exports"], export_urls, listings[len(roots):]):
        entry = {"name": export["name"], "url": url, "listed": rc == 0, "error": "" if rc == 0 else (err or out).strip()}
        served.append(entry)
        if rc == 0:
            continue
        source = params["client_address"] or export["server"]
        verdicts = [client_allows(h, source) for h in export["clients"]]
        if verdicts and all(v is False for v in verdicts):
            unverified.append("export %r (%s): this host (%s) is not one of its clients %s, so it cannot be "
                              "listed from here" % (export["name"], export["pseudo"], source,
                                                    ", ".join(export["clients"])))
        else:
            hint = explain_failure(entry["error"], nfs.listening(export["server"], export["port"]))
            problems.append("export %r: %s is not served: %s (%s)" % (export["name"], url, hint, entry["error"]))
    return dict(daemon=daemon, pseudo_root=listed, served=served, problems=problems, unverified=unverified)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            exports=EXPORTED_ARG_SPEC,
            backend=dict(type="str", choices=["kernel", "ganesha"], required=True),
            pid_file=dict(type="path"),
            config=dict(type="path", default="/etc/ganesha/ganesha.conf"),
            client_address=dict(type="str"),
            timeout=dict(type="int", default=15),
        ),
        supports_check_mode=True,
    )
    reader = ServerReader(module)
    if module.params["backend"] == "kernel":
        result = kernel_info(module, reader)
    else:
        if module.params["config"]:
            module.params["config"] = os.path.normpath(module.params["config"])
        result = ganesha_info(module)
    module.exit_json(changed=False, matches=not result["problems"], **result)


if __name__ == "__main__":
    main()
