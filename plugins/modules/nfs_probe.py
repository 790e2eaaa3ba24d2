#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: nfs_probe
short_description: Prove NFS exports work with real NFSv4 I/O from this host
version_added: 0.1.0
description:
  - For every export, writes a marker file with a fresh random token through NFSv4 (C(nfs-cp) from
    libnfs-utils, no kernel NFS client needed) and reads it back (C(nfs-cat)); the export passes only if
    the token comes back. Read-only exports (O(exports[].read_only)), O(write=false) and check mode only
    list the export's root
    (C(nfs-ls)), which proves the server answers, the export exists and this host may mount and read it.
  - Fails with a message that names every failing export, its URL and a plain explanation (server down,
    access denied or squashed identity without write permission, unknown pseudo path, ...).
  - Never reports C(changed). The marker file O(marker) stays in the export root unless O(cleanup_local) removes
    it through the server's local path.
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
    details: Does the read-only listing instead of the write probe.
  diff_mode:
    support: none
requirements:
  - C(nfs-cp), C(nfs-cat), C(nfs-ls) (Debian and EPEL package libnfs-utils).
options:
  write:
    description: Write and read back a marker file (V(true)), or only list the export root (V(false)).
    type: bool
    default: true
  uid:
    description:
      - User id the NFS requests carry (AUTH_SYS). V(0) is what a pod running as root sends, so with
        V(root_squash) the write happens as the anonymous uid, as it would for such a pod.
    type: int
    default: 0
  gid:
    description: Group id the NFS requests carry.
    type: int
    default: 0
  marker:
    description: Name of the marker file written in each export's root.
    type: str
    default: .stateful-nfs-probe
  cleanup_local:
    description:
      - Remove the marker through the export's local path afterwards. Only meaningful when the module runs
        on the NFS server itself.
    type: bool
    default: false
  client_address:
    description:
      - Address this host's NFS requests come from. Exports whose clients certainly do not admit it (IP
        addresses and networks that do not contain it) are not probed and listed in RV(not_probed) instead of
        failing. Leave unset to probe every export.
    type: str
  timeout:
    description: Seconds allowed for each libnfs command (at least 1).
    type: int
    default: 15
seealso:
  - module: stateful.nfs.nfs_exports_info
"""

EXAMPLES = r"""
- name: Write and read back a marker in every export
  stateful.nfs.nfs_probe:
    exports: "{{ nfs_server_exported }}"

- name: Can this node mount and read every export?
  stateful.nfs.nfs_probe:
    exports: "{{ hostvars[groups['nfs_servers'][0]].nfs_server_exported }}"
    write: false
"""

RETURN = r"""
mode:
  description: V(write) or V(read) (the read-only listing) for the run; each result has its own (read-only exports are listed).
  returned: always
  type: str
  sample: write
probes:
  description: One entry per probed export.
  returned: always
  type: list
  elements: dict
  sample:
    - name: v1
      url: nfs://127.0.0.1/nfs-data/v1/.stateful-nfs-probe?version=4&uid=0&gid=0
      ok: true
      error: ""
      hint: ""
      mode: write
not_probed:
  description: Exports not probed because their clients do not admit O(client_address).
  returned: always
  type: list
  elements: str
  sample: ["v3: clients 10.0.0.0/8 do not include 127.0.0.1"]
"""

import os
import uuid

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.nfs_exports import (
    EXPORTED_ARG_SPEC,
    client_allows,
)
from ansible_collections.stateful.nfs.plugins.module_utils.nfs_probe import (
    Libnfs,
    ProbeError,
    explain_failure,
    nfs_url,
    validate_marker,
)


def probe_one(module, nfs, export, write):
    params = module.params
    port = export["port"]
    if not write:
        url = nfs_url(export["server"], export["pseudo"], port=port, uid=params["uid"], gid=params["gid"])
        rc, out, err = nfs.run("nfs-ls", url)
        return url, rc == 0, (err or out).strip() if rc else ""
    url = nfs_url(export["server"], export["pseudo"], params["marker"], port=port,
                  uid=params["uid"], gid=params["gid"])
    token = "stateful.nfs probe %s\n" % uuid.uuid4()
    local = os.path.join(module.tmpdir, "probe-%s" % uuid.uuid4().hex)
    with open(local, "w") as handle:
        handle.write(token)
    rc, out, err = nfs.run("nfs-cp", local, url)
    if rc != 0:
        return url, False, "write failed: %s" % (err or out).strip()
    rc, out, err = nfs.run("nfs-cat", url)
    if rc != 0:
        return url, False, "read-back failed: %s" % (err or out).strip()
    if out != token:
        return url, False, "read back %r, expected the token just written %r" % (out[:80], token)
    if params["cleanup_local"]:
        try:
            os.unlink(os.path.join(export["path"], params["marker"]))
        except OSError as exc:
            return url, False, "wrote and read back, but cannot remove the marker locally: %s" % exc
    return url, True, ""


def main():
    module = AnsibleModule(
        argument_spec=dict(
            exports=EXPORTED_ARG_SPEC,
            write=dict(type="bool", default=True),
            uid=dict(type="int", default=0),
            gid=dict(type="int", default=0),
            marker=dict(type="str", default=".stateful-nfs-probe"),
            cleanup_local=dict(type="bool", default=False),
            client_address=dict(type="str"),
            timeout=dict(type="int", default=15),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        validate_marker(params["marker"])
    except ProbeError as exc:
        module.fail_json(msg=str(exc))
    write = params["write"] and not module.check_mode
    nfs = Libnfs(module, params["timeout"])
    todo, not_probed = [], []
    for export in params["exports"]:
        if params["client_address"]:
            verdicts = [client_allows(h, params["client_address"]) for h in export["clients"]]
            if verdicts and all(v is False for v in verdicts):
                not_probed.append("%s: clients %s do not include %s"
                                  % (export["name"], ", ".join(export["clients"]), params["client_address"]))
                continue
        todo.append(export)

    def probe(export):
        export_write = write and not export["read_only"]
        url, ok, error = probe_one(module, nfs, export, export_write)
        hint = "" if ok else explain_failure(error, nfs.listening(export["server"], export["port"]))
        return {"name": export["name"], "url": url, "ok": ok, "error": error, "hint": hint,
                "mode": "write" if export_write else "read"}

    # The exports are independent (each has its own URL and marker): probed at the same time.
    probes = nfs.map(probe, todo)
    failures = ["export %r (%s): %s [%s]" % (p["name"], p["url"], p["hint"], p["error"])
                for p in probes if not p["ok"]]
    mode = "write" if write else "read"
    if failures:
        module.fail_json(msg="NFS %s probe failed for %d of %d export(s): %s"
                         % (mode, len(failures), len(probes), "; ".join(failures)),
                         mode=mode, probes=probes, not_probed=not_probed)
    module.exit_json(changed=False, mode=mode, probes=probes, not_probed=not_probed)


if __name__ == "__main__":
    main()
