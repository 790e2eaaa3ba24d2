# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's separate SSH test hosts (roles/lab_hosts): commands on a host over SSH, ad hoc Ansible against
their inventory, and what a set of hosts leaves on this machine (namespaces, links, mounts, processes)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

from .ansible_runs import VENV_BIN, ansible_env

PLAYBOOK = "playbooks/lab_hosts.yml"


class LabHosts(object):
    """A set of lab hosts brought up with their state in ``state_dir`` and SSH control sockets in ``control_dir``."""

    def __init__(self, state_dir, control_dir, netns_prefix="snfs-", bridge="snfs-br0"):
        self.state_dir = str(state_dir)
        self.control_dir = str(control_dir)
        self.netns_prefix = netns_prefix
        self.bridge = bridge

    def extra_vars(self, state):
        return {"lab_hosts_state": state, "lab_hosts_state_dir": self.state_dir}

    def path(self, name):
        return os.path.join(self.state_dir, name)

    def env(self):
        return ansible_env({"ANSIBLE_SSH_CONTROL_PATH_DIR": self.control_dir})

    def ssh(self, host, command, check=True, known_hosts=None):
        """Run ``command`` on ``host`` as the login user, over SSH with the lab's ssh_config (and another
        known_hosts file if given); (rc, stdout, stderr)."""
        options = ["-o", "UserKnownHostsFile=" + known_hosts] if known_hosts else []
        proc = subprocess.run(["ssh", "-F", self.path("ssh_config"), "-o", "BatchMode=yes"] + options + [host, command],
                              capture_output=True, text=True, timeout=60, check=False)
        if check:
            assert proc.returncode == 0, "ssh %s %r: rc=%d\n%s%s" % (host, command, proc.returncode, proc.stdout, proc.stderr)
        return proc.returncode, proc.stdout, proc.stderr

    def ansible(self, *args):
        """``ansible -i <lab inventory> ARGS`` as a user runs it; (rc, output)."""
        proc = subprocess.run([str(VENV_BIN / "ansible"), "-i", self.path("inventory.yml")] + list(args),
                              capture_output=True, text=True, timeout=300, check=False, env=self.env())
        return proc.returncode, proc.stdout + proc.stderr

    def close_connections(self):
        """End the SSH control masters Ansible left in ``control_dir`` (ControlPersist)."""
        if not os.path.isdir(self.control_dir):
            return
        for name in os.listdir(self.control_dir):
            subprocess.run(["ssh", "-o", "ControlPath=" + os.path.join(self.control_dir, name), "-O", "exit", "lab-host"],
                           capture_output=True, timeout=30, check=False)

    def leftovers(self):
        """What of these hosts is still on this machine: namespaces, links, mounts and processes."""
        found = []
        netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
        found += ["netns " + line.split()[0] for line in netns.splitlines() if line.startswith(self.netns_prefix)]
        links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True).stdout
        for line in links.splitlines():
            name = line.split(":")[1].strip().split("@")[0]
            if name.startswith(self.netns_prefix) or name == self.bridge:
                found.append("link " + name)
        with open("/proc/self/mountinfo") as stream:
            found += ["mount " + line.split()[4] for line in stream if line.split()[4].startswith(self.state_dir)]
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as stream:
                    cmdline = stream.read().replace(b"\0", b" ").decode("utf-8", "replace")
            except (IOError, OSError):
                continue
            if self.state_dir in cmdline or self.control_dir in cmdline:
                found.append("process %s: %s" % (pid, cmdline[:120]))
        return found

    def netns_exists(self):
        netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
        return [line.split()[0] for line in netns.splitlines() if line.startswith(self.netns_prefix)]
