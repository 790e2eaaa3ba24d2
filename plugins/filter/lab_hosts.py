# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``stateful.nfs.lab_hosts_from_inventory`` filter (documented in its .yml file). Pure function.

The inventory is the one home of the lab's test hosts: their names, addresses (``ansible_host``) and
groups. The filter turns a group of it into the ``lab_hosts_list`` the stateful.nfs.lab_hosts role
builds, so the hosts Ansible connects to are the hosts the role creates.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError


def lab_hosts_from_inventory(names, hostvars, group="lab_hosts"):
    """``[{name, address, groups}]`` for the inventory hosts ``names``; ``groups`` leaves out ``group``
    (the group that lists the lab's hosts) and ``all``/``ungrouped``."""
    if not isinstance(names, (list, tuple)):
        raise AnsibleFilterError("lab_hosts_from_inventory: expected a list of inventory host names, got %r" % (names,))
    hosts = []
    for name in names:
        try:
            variables = hostvars[name]
        except (KeyError, TypeError):
            raise AnsibleFilterError("lab_hosts_from_inventory: %s is not in the inventory" % name)
        address = variables.get("ansible_host")
        if not address:
            raise AnsibleFilterError("lab_hosts_from_inventory: %s: ansible_host is not set (the lab host's address)" % name)
        groups = [g for g in variables.get("group_names") or [] if g not in (group, "all", "ungrouped")]
        hosts.append({"name": name, "address": str(address), "groups": sorted(groups)})
    return hosts


class FilterModule(object):
    def filters(self):
        return {"lab_hosts_from_inventory": lab_hosts_from_inventory}
