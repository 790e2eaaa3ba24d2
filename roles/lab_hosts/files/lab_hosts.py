# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab's separate test hosts: a shared Debian root, and per host an overlay, a network namespace and sshd.

Run by the stateful.nfs.lab_hosts role on the controller, as root, with one JSON document on stdin and one
on stdout (``{"changed": ..., ...}``). Four actions:

``present`` (what the role runs)
    ``root``, then the state directory and the SSH client key, ``up``, then known_hosts, ssh_config and
    inventory.yml in the state directory: one call, so that a lab already up costs one module round trip.
``root``
    Build the shared root once with ``mmdebstrap --variant=minbase``, cached under a key of the suite, the
    mirror and the package list; prepare it for hosts without an init system (empty resolv.conf,
    /etc/mtab, no host keys of its own, the login user with passwordless sudo).
``up``
    Per host: an overlay of the root (its own /etc, /srv, /var/lib/dpkg), a real directory bind-mounted at the
    export path (overlayfs cannot be exported by NFS-Ganesha), a network namespace joined to a bridge by a veth
    pair, its own host keys, hostname and authorized key, and ``sshd -D`` as PID 1 of its own PID, mount and
    UTS namespaces. Returns every host's public host keys. Everything already in place is left alone.
``down``
    Stop the hosts and remove exactly what ``up`` created: processes, mounts, namespaces, veth pairs, the
    bridge (only when ``up`` created it) and the hosts' directories, then known_hosts, ssh_config and
    inventory.yml (the client key stays).

Addresses outside 198.51.100.0/24 (TEST-NET-2) are refused.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

NETWORK = ipaddress.ip_network("198.51.100.0/24")
IFNAMSIZ = 15
HOST_KEY_TYPES = ("ed25519", "ecdsa", "rsa")
NAME_RE = re.compile(r"^[a-z][a-z0-9-]*$")
# Device nodes bind-mounted from the controller into each host's small /dev.
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
# The hosts' local apt repository (flat), inside the shared root.
REPO_DIR = "/var/lib/stateful-nfs-lab/debs"
# The hosts' default gateway: an address in the lab network that no host or bridge holds.
DEFAULT_GATEWAY = "198.51.100.254"


class LabHostsError(Exception):
    """Bad input or a step that failed; the message names the variable or the step."""


# ---------------------------------------------------------------- pure rules (unit tested)

def root_key(suite, mirror, packages, repo_packages=()):
    """The cache key of a root: the suite, the mirror, the sorted, de-duplicated package list and the packages
    of its local repository."""
    text = "\n".join([suite, mirror] + sorted(set(packages)))
    if repo_packages:
        text += "\nrepo:" + ",".join(sorted(set(repo_packages)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_hosts(hosts, netns_prefix, bridge_address, default_gateway=DEFAULT_GATEWAY):
    """Refuse host lists that would leave TEST-NET-2, collide, or make interface names too long."""
    gateway = ipaddress.ip_address(bridge_address)
    if gateway not in NETWORK:
        raise LabHostsError("lab_hosts_bridge_address: %s is not in %s" % (gateway, NETWORK))
    unanswered = ipaddress.ip_address(default_gateway)
    if unanswered not in NETWORK or unanswered == gateway:
        raise LabHostsError("lab_hosts_gateway: %s must be an address of %s that nothing holds (not the bridge's)"
                            % (unanswered, NETWORK))
    if not hosts:
        raise LabHostsError("lab_hosts_list: no hosts")
    seen_names, seen_addresses = set(), {gateway}
    for host in hosts:
        name, address = host.get("name", ""), host.get("address", "")
        if not NAME_RE.match(name):
            raise LabHostsError("lab_hosts_list: host name %r is not a lower-case name (a-z, 0-9, -)" % name)
        if len(netns_prefix + name) > IFNAMSIZ:
            raise LabHostsError("lab_hosts_list: %s%s is longer than %d characters (an interface name)"
                                % (netns_prefix, name, IFNAMSIZ))
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise LabHostsError("lab_hosts_list: %s: %r is not an IP address" % (name, address))
        if ip not in NETWORK or ip in (NETWORK.network_address, NETWORK.broadcast_address):
            raise LabHostsError("lab_hosts_list: %s: %s is not a host address of %s" % (name, ip, NETWORK))
        if name in seen_names:
            raise LabHostsError("lab_hosts_list: host name %s is listed twice" % name)
        if ip in seen_addresses or ip == unanswered:
            raise LabHostsError("lab_hosts_list: %s: address %s is used twice" % (name, ip))
        seen_names.add(name)
        seen_addresses.add(ip)


def packages_index(debs):
    """The ``Packages`` index of a flat apt repository (``deb [trusted=yes] file:DIR ./``).

    ``debs``: ``(file name, control text, size, sha256)`` per package, the control text as ``dpkg-deb --field``
    prints it. Each stanza is the control text plus Filename, Size and SHA256, in file name order."""
    stanzas = []
    for filename, control, size, sha256 in sorted(debs):
        text = control.rstrip("\n")
        stanzas.append("%s\nFilename: ./%s\nSize: %d\nSHA256: %s\n" % (text, filename, size, sha256))
    return "\n".join(stanzas)


def pid_base(address):
    """Where a host's PIDs start: 100 times the last byte of its address (11 -> 1100, 254 -> 25400), below
    the smallest pid_max (32768), so that no two lab hosts hand out the same PIDs at once."""
    return 100 * int(ipaddress.ip_address(address).packed[-1])


HEADER = "# Written by stateful.nfs.lab_hosts (roles/lab_hosts/files/lab_hosts.py); rewritten on every up.\n"


def known_hosts_text(hosts, keys):
    """known_hosts of the lab: each host's own keys under its name and address (``keys``: {name: {type: key}})."""
    lines = [HEADER.rstrip("\n"), "# The lab hosts' own host keys, read from each host's root when it came up."]
    for host in hosts:
        for key_type in HOST_KEY_TYPES:
            key = keys.get(host["name"], {}).get(key_type)
            if key:
                lines.append("%s,%s %s" % (host["name"], host["address"], key))
    return "\n".join(lines) + "\n"


def ssh_config_text(state_dir, user, hosts):
    """ssh_config for ``ssh -F <state dir>/ssh_config <host>``."""
    lines = [HEADER.rstrip("\n"), "# ssh -F %s/ssh_config <host>" % state_dir]
    for host in hosts:
        lines += ["Host %s" % host["name"], "    HostName %s" % host["address"]]
    lines += ["", "Host *", "    User %s" % user, "    IdentityFile %s/id_ed25519" % state_dir, "    IdentitiesOnly yes",
              "    UserKnownHostsFile %s/known_hosts" % state_dir, "    StrictHostKeyChecking yes"]
    return "\n".join(lines) + "\n"


def inventory_text(state_dir, user, hosts):
    """An Ansible inventory (YAML) of the hosts and their groups, with the connection settings of the lab."""
    lines = ["---", HEADER.rstrip("\n"),
             "# The lab's separate test hosts: ansible -i %s/inventory.yml all -m ansible.builtin.ping -b" % state_dir,
             "all:", "  vars:", "    ansible_user: %s" % user,
             "    ansible_ssh_private_key_file: %s/id_ed25519" % state_dir,
             "    ansible_ssh_common_args: >-",
             "      -o UserKnownHostsFile=%s/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes" % state_dir,
             "    ansible_become_method: ansible.builtin.sudo", "    ansible_python_interpreter: /usr/bin/python3",
             "  hosts:"]
    for host in hosts:
        lines += ["    %s:" % host["name"], "      ansible_host: %s" % host["address"]]
    groups = sorted(set(group for host in hosts for group in host.get("groups") or []))
    if groups:
        lines.append("  children:")
        for group in groups:
            lines += ["    %s:" % group, "      hosts:"]
            lines += ["        %s:" % host["name"] for host in hosts if group in (host.get("groups") or [])]
    return "\n".join(lines) + "\n"


def etc_hosts(hosts):
    """/etc/hosts of every lab host: loopback and all lab hosts by name."""
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
    lines += ["%s\t%s" % (host["address"], host["name"]) for host in hosts]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- small I/O helpers

def run(argv, **kwargs):
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False, **kwargs)
    if proc.returncode != 0:
        raise LabHostsError("%s failed (exit %d): %s" % (" ".join(argv), proc.returncode, proc.stderr.strip()))
    return proc.stdout


def write_if_changed(path, content, mode=0o644, uid=None, gid=None):
    """Write ``content`` unless the file already holds it; True when written."""
    try:
        with open(path) as stream:
            if stream.read() == content:
                return False
    except (IOError, OSError):
        pass
    with open(path + ".partial", "w") as stream:
        stream.write(content)
    os.chmod(path + ".partial", mode)
    if uid is not None:
        os.chown(path + ".partial", uid, gid)
    os.rename(path + ".partial", path)
    return True


def mounted(path):
    """Whether ``path`` is a mount point of this mount namespace."""
    path = os.path.realpath(path)
    with open("/proc/self/mountinfo") as stream:
        return any(line.split()[4] == path for line in stream)


def netns_list():
    out = run(["ip", "netns", "list"])
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def link_exists(name):
    return subprocess.run(["ip", "link", "show", "dev", name], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False).returncode == 0


def has_address(dev, cidr, netns=None):
    prefix = ["ip", "-n", netns] if netns else ["ip"]
    return (" %s " % cidr) in run(prefix + ["-o", "addr", "show", "dev", dev])


def user_ids(root, user):
    with open(os.path.join(root, "etc", "passwd")) as stream:
        for line in stream:
            fields = line.split(":")
            if fields[0] == user:
                return int(fields[2]), int(fields[3]), fields[5]
    raise LabHostsError("lab_hosts_user: %s does not exist in the root" % user)


# ---------------------------------------------------------------- root

def build_root(spec):
    # The first task of the role: bad input is refused here, before anything is built or changed.
    check_hosts(spec["hosts"], spec["netns_prefix"], spec["bridge_address"], spec.get("gateway", DEFAULT_GATEWAY))
    cache = os.path.expanduser(spec["cache_dir"])
    packages = list(spec["packages"])
    repo_packages = sorted(set(spec.get("repo_packages") or []))
    key = root_key(spec["suite"], spec["mirror"], packages, repo_packages)
    root = os.path.join(cache, "root-" + key)
    result = {"changed": False, "root": root, "key": key}
    if os.path.exists(os.path.join(root, ".lab-hosts-root")):
        return result
    if shutil.which("mmdebstrap") is None:
        raise LabHostsError("lab_hosts: mmdebstrap is missing; `make lab-hosts-tools` installs it (Debian's mmdebstrap)")
    partial = root + ".partial"
    if os.path.exists(partial):
        shutil.rmtree(partial)
    os.makedirs(cache, exist_ok=True)
    start = time.time()
    hooks = []
    if repo_packages:
        # Downloaded (not installed) with mmdebstrap's own apt configuration, while the mirror is still
        # reachable: each host installs from this local repository into its own overlay, with no network.
        hooks = ["--customize-hook=mkdir -p \"$1%s/partial\" && chroot \"$1\" apt-get --yes --no-install-recommends"
                 " --download-only -o Dir::Cache::Archives=%s install %s && rm -rf \"$1%s/partial\" \"$1%s/lock\""
                 % (REPO_DIR, REPO_DIR, " ".join(repo_packages), REPO_DIR, REPO_DIR)]
    run(["mmdebstrap", "--quiet", "--mode=root", "--variant=minbase", "--include=" + ",".join(sorted(set(packages)))]
        + hooks + [spec["suite"], partial, spec["mirror"]])
    user = spec["user"]
    etc = os.path.join(partial, "etc")
    # Each host generates its own host keys in its own overlay; the shared root keeps none.
    for name in os.listdir(os.path.join(etc, "ssh")):
        if name.startswith("ssh_host_"):
            os.remove(os.path.join(etc, "ssh", name))
    # No DNS in the lab: an empty resolv.conf (else each SSH login waits about 40 s), and /etc/mtab for Ganesha.
    if os.path.lexists(os.path.join(etc, "resolv.conf")):
        os.remove(os.path.join(etc, "resolv.conf"))
    write_if_changed(os.path.join(etc, "resolv.conf"), "")
    if not os.path.lexists(os.path.join(etc, "mtab")):
        os.symlink("../proc/self/mounts", os.path.join(etc, "mtab"))
    # No login sessions to record: pam_loginuid cannot write /proc/self/loginuid in a PID namespace.
    pam_sshd = os.path.join(etc, "pam.d", "sshd")
    with open(pam_sshd) as stream:
        pam = stream.read()
    write_if_changed(pam_sshd, re.sub(r"(?m)^session\s+required\s+pam_loginuid\.so", "session optional pam_loginuid.so", pam))
    run(["chroot", partial, "useradd", "--create-home", "--shell", "/bin/bash", user])
    # '*': no password, but not a locked account (sshd refuses key logins of locked accounts without PAM).
    run(["chroot", partial, "usermod", "--password", "*", user])
    write_if_changed(os.path.join(etc, "sudoers.d", "lab-hosts"), "%s ALL=(ALL:ALL) NOPASSWD: ALL\n" % user, mode=0o440)
    write_if_changed(os.path.join(etc, "ssh", "sshd_config.d", "lab-hosts.conf"),
                     "# stateful.nfs lab host: key logins only, no DNS lookups\n"
                     "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\nUseDNS no\n")
    # No init system to start daemons: package scripts must not try (the roles start what they need).
    write_if_changed(os.path.join(partial, "usr", "sbin", "policy-rc.d"),
                     "#!/bin/sh\n# stateful.nfs lab host: no init system, package scripts start nothing\nexit 101\n", mode=0o755)
    apt_sources(partial, repo_packages)
    run(["chroot", partial, "apt-get", "clean"])
    with open(os.path.join(partial, ".lab-hosts-root"), "w") as stream:
        json.dump({"suite": spec["suite"], "mirror": spec["mirror"], "packages": sorted(set(packages)),
                   "repo_packages": repo_packages}, stream)
    os.rename(partial, root)
    result.update(changed=True, seconds=round(time.time() - start, 1))
    return result


def apt_sources(root, repo_packages):
    """Point apt in ``root`` at its local repository only (the hosts have no route to a mirror), with a
    Packages index written from the downloaded files."""
    repo = os.path.join(root, REPO_DIR.lstrip("/"))
    debs = []
    if repo_packages:
        for name in sorted(os.listdir(repo)):
            if name.endswith(".deb"):
                path = os.path.join(repo, name)
                with open(path, "rb") as stream:
                    digest = hashlib.sha256(stream.read()).hexdigest()
                debs.append((name, run(["dpkg-deb", "--field", path]), os.path.getsize(path), digest))
        if not debs:
            raise LabHostsError("lab_hosts_repo_packages: nothing was downloaded for %s" % ", ".join(repo_packages))
    os.makedirs(repo, exist_ok=True)
    write_if_changed(os.path.join(repo, "Packages"), packages_index(debs))
    sources = os.path.join(root, "etc", "apt", "sources.list.d")
    for name in os.listdir(sources):
        os.remove(os.path.join(sources, name))
    write_if_changed(os.path.join(root, "etc", "apt", "sources.list"),
                     "# stateful.nfs lab host: the packages downloaded when the root was built (lab_hosts_repo_packages)\n"
                     "deb [trusted=yes] file:%s ./\n" % REPO_DIR)
    run(["chroot", root, "apt-get", "update", "-q"])


# ---------------------------------------------------------------- hosts

class Host:
    """One lab host: its directories, namespace and PID 1."""

    def __init__(self, spec, host):
        self.name = host["name"]
        self.address = host["address"]
        self.netns = spec["netns_prefix"] + self.name
        self.dir = os.path.join(os.path.expanduser(spec["state_dir"]), "hosts", self.name)
        self.upper = os.path.join(self.dir, "upper")
        self.work = os.path.join(self.dir, "work")
        self.merged = os.path.join(self.dir, "root")
        self.export = os.path.join(self.dir, "export")
        self.pid_file = os.path.join(self.dir, "host.pid")
        self.log_file = os.path.join(self.dir, "host.log")
        self.export_path = spec.get("export_path", "/nfs-data")

    # -- the process

    def pid(self):
        """The PID (in our namespace) of the unshare process that holds this host, or None."""
        try:
            with open(self.pid_file) as stream:
                pid = int(stream.read().strip())
            with open("/proc/%d/cmdline" % pid, "rb") as stream:
                cmdline = stream.read().split(b"\0")
        except (IOError, OSError, ValueError):
            return None
        if cmdline and os.path.basename(cmdline[0]) == b"unshare" and self.merged.encode() in b" ".join(cmdline):
            return pid
        return None

    def init_pid(self, pid):
        """The host's PID 1 as seen from here: the child of the unshare process."""
        try:
            with open("/proc/%d/task/%d/children" % (pid, pid)) as stream:
                children = stream.read().split()
        except (IOError, OSError):
            return None
        return int(children[0]) if children else None

    def start(self):
        mounts = [
            "mount -t proc proc {r}/proc",
            "mount -t sysfs sysfs {r}/sys",
            "mount -t tmpfs -o mode=0755,size=4m dev {r}/dev",
            "mkdir -p {r}/dev/pts {r}/dev/shm",
            "mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts {r}/dev/pts",
            "ln -sf pts/ptmx {r}/dev/ptmx",
            "mount -t tmpfs -o mode=1777 shm {r}/dev/shm",
            "mount -t tmpfs -o mode=0755 run {r}/run",
            "mount -t tmpfs -o mode=1777 tmp {r}/tmp",
            "mkdir -p {r}/run/sshd",
            "hostname {name}",
            # Each host's processes get their own PID range, as on separate machines: NFSv4 clients such as
            # libnfs name themselves by PID ("Libnfs pid:N ..."), and two hosts' PID namespaces counting from 1
            # in step would present one client ID from two addresses (NFS4ERR_CLID_INUSE).
            "echo {pid_base} > {r}/proc/sys/kernel/ns_last_pid",
        ]
        for device in DEVICES:
            mounts.append("touch {r}/dev/%s && mount --bind /dev/%s {r}/dev/%s" % (device, device, device))
        lines = [line.format(r=self.merged, name=self.name, pid_base=pid_base(self.address)) for line in mounts]
        script = "set -e\n" + "\n".join(lines) + "\nexec chroot {r} /usr/sbin/sshd -D -e\n".format(r=self.merged)
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(["ip", "netns", "exec", self.netns, "unshare", "--mount", "--pid", "--uts", "--fork",
                                     "--propagation", "private", "sh", "-c", script, "lab-host-" + self.name],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True)
        # `ip netns exec` execs unshare: the PID stays the same.
        write_if_changed(self.pid_file, "%d\n" % proc.pid)
        deadline = time.time() + 20
        while time.time() < deadline:
            if proc.poll() is not None:
                raise LabHostsError("%s: the host ended at start (exit %d); see %s" % (self.name, proc.returncode, self.log_file))
            try:
                with socket.create_connection((self.address, 22), timeout=1) as sock:
                    if sock.recv(4).startswith(b"SSH-"):
                        return
            except (OSError, socket.timeout):
                time.sleep(0.1)
        raise LabHostsError("%s: sshd does not answer on %s:22 after 20 s; see %s" % (self.name, self.address, self.log_file))

    def stop(self, timeout=10):
        pid = self.pid()
        if pid is None:
            return False
        # unshare --fork ignores SIGTERM: signal its child, the host's PID 1; the kernel then ends the whole host.
        child = self.init_pid(pid)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            target = child if child else pid
            try:
                os.kill(target, sig)
            except OSError:
                pass
            deadline = time.time() + timeout
            while time.time() < deadline and os.path.exists("/proc/%d" % pid):
                try:
                    os.waitpid(pid, os.WNOHANG)
                except OSError:
                    pass
                if self.pid() is None:
                    break
                time.sleep(0.05)
            if self.pid() is None:
                return True
        raise LabHostsError("%s: PID %d does not end" % (self.name, pid))

    # -- up and down

    def up(self, spec, hosts, pubkey):
        changed = []
        root = spec["root"]
        for path in (self.upper, self.work, self.merged, self.export):
            if not os.path.isdir(path):
                os.makedirs(path, mode=0o755)
                changed.append("directory " + path)
        if not mounted(self.merged):
            run(["mount", "-t", "overlay", "overlay", "-o",
                 "lowerdir=%s,upperdir=%s,workdir=%s" % (root, self.upper, self.work), self.merged])
            changed.append("overlay")
        target = os.path.join(self.merged, self.export_path.lstrip("/"))
        if not mounted(target):
            os.makedirs(target, exist_ok=True)
            run(["mount", "--bind", self.export, target])
            changed.append("export bind mount")
        # network
        bridge = spec["bridge"]
        if self.netns not in netns_list():
            run(["ip", "netns", "add", self.netns])
            changed.append("netns")
        if not link_exists(self.netns):
            run(["ip", "link", "add", self.netns, "type", "veth", "peer", "name", "eth0", "netns", self.netns])
            changed.append("veth")
        if "master %s " % bridge not in run(["ip", "-o", "link", "show", "dev", self.netns]):
            run(["ip", "link", "set", "dev", self.netns, "master", bridge])
            changed.append("bridge port")
        if ",UP" not in run(["ip", "-o", "link", "show", "dev", self.netns]):
            run(["ip", "link", "set", "dev", self.netns, "up"])
            changed.append("veth up")
        cidr = "%s/%d" % (self.address, NETWORK.prefixlen)
        if not has_address("eth0", cidr, self.netns):
            run(["ip", "-n", self.netns, "addr", "add", cidr, "dev", "eth0"])
            changed.append("address")
        for dev in ("lo", "eth0"):
            if ",UP" not in run(["ip", "-n", self.netns, "-o", "link", "show", "dev", dev]):
                run(["ip", "-n", self.netns, "link", "set", "dev", dev, "up"])
                changed.append("%s up" % dev)
        # A default route, so that a host has a default IPv4 address (Ansible's default_ipv4) as a real
        # machine does. Its gateway is an address no one holds (lab_hosts_gateway): whatever the controller's
        # ip_forward says, a host reaches the lab network (198.51.100.0/24) and nothing else.
        gateway = spec.get("gateway", DEFAULT_GATEWAY)
        if "default via %s " % gateway not in run(["ip", "-n", self.netns, "-4", "route", "show", "default"]) + " ":
            run(["ip", "-n", self.netns, "route", "replace", "default", "via", gateway, "dev", "eth0"])
            changed.append("default route")
        # identity
        etc = os.path.join(self.merged, "etc")
        if not os.path.exists(os.path.join(etc, "ssh", "ssh_host_ed25519_key")):
            run(["ssh-keygen", "-A", "-f", self.merged])
            changed.append("host keys")
        if write_if_changed(os.path.join(etc, "hostname"), self.name + "\n"):
            changed.append("/etc/hostname")
        if write_if_changed(os.path.join(etc, "hosts"), etc_hosts(hosts)):
            changed.append("/etc/hosts")
        uid, gid, home = user_ids(self.merged, spec["user"])
        ssh_dir = os.path.join(self.merged, home.lstrip("/"), ".ssh")
        if not os.path.isdir(ssh_dir):
            os.makedirs(ssh_dir, mode=0o700)
            os.chown(ssh_dir, uid, gid)
            changed.append("~/.ssh")
        if write_if_changed(os.path.join(ssh_dir, "authorized_keys"), pubkey, mode=0o600, uid=uid, gid=gid):
            changed.append("authorized_keys")
        if self.pid() is None:
            self.start()
            changed.append("sshd")
        keys = {}
        for key_type in HOST_KEY_TYPES:
            path = os.path.join(etc, "ssh", "ssh_host_%s_key.pub" % key_type)
            if os.path.exists(path):
                with open(path) as stream:
                    keys[key_type] = " ".join(stream.read().split()[:2])
        return changed, keys

    def down(self):
        changed = []
        if self.stop():
            changed.append("host process")
        for path in (os.path.join(self.merged, self.export_path.lstrip("/")), self.merged):
            if os.path.isdir(path) and mounted(path):
                run(["umount", path])
                changed.append("umount " + path)
        if link_exists(self.netns):
            run(["ip", "link", "del", "dev", self.netns])
            changed.append("veth")
        if self.netns in netns_list():
            run(["ip", "netns", "del", self.netns])
            changed.append("netns")
        if os.path.isdir(self.dir):
            shutil.rmtree(self.dir)
            changed.append("directory " + self.dir)
        return changed


def bridge_marker(spec):
    return os.path.join(os.path.expanduser(spec["state_dir"]), "bridge-created")


def hosts_up(spec):
    hosts = spec["hosts"]
    check_hosts(hosts, spec["netns_prefix"], spec["bridge_address"], spec.get("gateway", DEFAULT_GATEWAY))
    if not os.path.exists(os.path.join(spec["root"], ".lab-hosts-root")):
        raise LabHostsError("lab_hosts: the root %s is not built" % spec["root"])
    state = os.path.expanduser(spec["state_dir"])
    os.makedirs(os.path.join(state, "hosts"), exist_ok=True)
    with open(os.path.expanduser(spec["public_key_file"])) as stream:
        pubkey = stream.read().strip() + "\n"
    changed = {}
    bridge = spec["bridge"]
    gateway = "%s/%d" % (spec["bridge_address"], NETWORK.prefixlen)
    if not link_exists(bridge):
        run(["ip", "link", "add", "name", bridge, "type", "bridge"])
        write_if_changed(bridge_marker(spec), bridge + "\n")
        changed.setdefault("bridge", []).append("created")
    if not has_address(bridge, gateway):
        run(["ip", "addr", "add", gateway, "dev", bridge])
        changed.setdefault("bridge", []).append("address")
    if ",UP" not in run(["ip", "-o", "link", "show", "dev", bridge]):
        run(["ip", "link", "set", "dev", bridge, "up"])
        changed.setdefault("bridge", []).append("up")
    host_keys = {}
    for host in hosts:
        done, keys = Host(spec, host).up(spec, hosts, pubkey)
        if done:
            changed[host["name"]] = done
        host_keys[host["name"]] = keys
    return {"changed": bool(changed), "what": changed, "host_keys": host_keys}


CLIENT_FILES = ("known_hosts", "ssh_config", "inventory.yml")


def client_key(state):
    """The lab's SSH client key (ed25519, no passphrase), generated once in ``state``; True when generated."""
    path = os.path.join(state, "id_ed25519")
    if os.path.exists(path) and os.path.exists(path + ".pub"):
        return False
    for leftover in (path, path + ".pub"):
        if os.path.exists(leftover):
            os.remove(leftover)
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "stateful-nfs-lab-hosts", "-f", path])
    return True


def hosts_present(spec):
    """Everything ``present`` needs, in one call: the root (built once), the state directory and client key, the
    hosts, and known_hosts, ssh_config and inventory.yml for the client side."""
    check_hosts(spec["hosts"], spec["netns_prefix"], spec["bridge_address"], spec.get("gateway", DEFAULT_GATEWAY))
    root = build_root(spec)
    state = os.path.expanduser(spec["state_dir"])
    what = {}
    if not os.path.isdir(state):
        os.makedirs(state, mode=0o700)
        what["state directory"] = ["created"]
    if client_key(state):
        what["client key"] = ["generated"]
    up = hosts_up(dict(spec, root=root["root"], public_key_file=os.path.join(state, "id_ed25519.pub")))
    what.update(up["what"])
    texts = {"known_hosts": known_hosts_text(spec["hosts"], up["host_keys"]),
             "ssh_config": ssh_config_text(state, spec["user"], spec["hosts"]),
             "inventory.yml": inventory_text(state, spec["user"], spec["hosts"])}
    for name in CLIENT_FILES:
        if write_if_changed(os.path.join(state, name), texts[name]):
            what.setdefault("client files", []).append(name)
    if root["changed"]:
        what["root"] = ["built in %s s" % root.get("seconds")]
    return {"changed": bool(what), "what": what, "root": root["root"], "host_keys": up["host_keys"]}


def hosts_down(spec):
    changed = {}
    hosts_dir = os.path.join(os.path.expanduser(spec["state_dir"]), "hosts")
    names = [host["name"] for host in spec["hosts"]]
    # Hosts a previous up created and no longer listed go too.
    if os.path.isdir(hosts_dir):
        names += [name for name in sorted(os.listdir(hosts_dir)) if name not in names]
    for name in names:
        done = Host(spec, {"name": name, "address": ""}).down()
        if done:
            changed[name] = done
    marker = bridge_marker(spec)
    if os.path.exists(marker):
        with open(marker) as stream:
            bridge = stream.read().strip()
        if link_exists(bridge):
            run(["ip", "link", "del", "dev", bridge])
            changed["bridge"] = ["removed " + bridge]
        os.remove(marker)
    if os.path.isdir(hosts_dir) and not os.listdir(hosts_dir):
        os.rmdir(hosts_dir)
    for name in CLIENT_FILES:
        path = os.path.join(os.path.expanduser(spec["state_dir"]), name)
        if os.path.exists(path):
            os.remove(path)
            changed.setdefault("client files", []).append("removed " + name)
    return {"changed": bool(changed), "what": changed}


ACTIONS = {"present": hosts_present, "root": build_root, "up": hosts_up, "down": hosts_down}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (1, 2) or argv[0] not in ACTIONS:
        print("usage: lab_hosts.py {present|root|up|down} [SPEC-JSON] (or the spec on stdin)", file=sys.stderr)
        return 2
    spec = json.loads(argv[1]) if len(argv) == 2 else json.load(sys.stdin)
    try:
        result = ACTIONS[argv[0]](spec)
    except LabHostsError as exc:
        print(json.dumps({"failed": True, "msg": str(exc)}))
        # Ansible's command module shows stderr beside "non-zero return code"
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
