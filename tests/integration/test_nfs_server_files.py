# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The nfs_server role's configuration files, on an NFS-Ganesha of the test's own (own_nfs): one
``stateful.nfs.files`` call writes them, and each handler acts only on the files it is about. An edited
EXPORT file is written back and Ganesha re-reads it (SIGHUP, same process); an edited core configuration is
written back and Ganesha restarts (a new process); a re-run changes nothing."""

from __future__ import absolute_import, division, print_function

import os

PLAYBOOK = "tests/integration/fault_matrix/nfs_server.yml"
RELOAD = "Reload NFS-Ganesha exports (own daemon)"
RESTART = "Restart NFS-Ganesha (own daemon)"
WRITE = "Write NFS-Ganesha's configuration, its EXPORT blocks and the systemd drop-in (one call)"


def ran(outcome, task):
    """Whether the handler or task ``task`` ran (and changed something) in ``outcome``."""
    results = outcome.task_results(task)
    return any(result.get("changed") and not result.get("skipped") for result in results)


def test_each_handler_acts_only_on_its_file(own_nfs):
    def converge():
        outcome = own_nfs.runner(PLAYBOOK, inventory=own_nfs.inventory, diff=True)
        assert outcome.rc == 0, outcome.tail(80)
        return outcome

    def pid():
        with open(own_nfs.daemon["pid_file"]) as stream:
            return stream.read().strip()

    converge()
    exports_file = own_nfs.server["nfs_server_ganesha_exports_file"]
    config_file = own_nfs.server["nfs_server_ganesha_config_file"]
    with open(exports_file) as stream:
        exports = stream.read()
    with open(config_file) as stream:
        config = stream.read()
    first = pid()

    with open(exports_file, "a") as stream:
        stream.write("# edited by hand\n")
    edited = converge()
    [written] = edited.task_results(WRITE)
    assert written["changed_paths"] == [exports_file], written
    assert ran(edited, RELOAD) and not ran(edited, RESTART)
    assert pid() == first, "an EXPORT change restarted Ganesha"
    with open(exports_file) as stream:
        assert stream.read() == exports

    with open(config_file, "a") as stream:
        stream.write("# edited by hand\n")
    os.chmod(config_file, 0o600)
    edited = converge()
    [written] = edited.task_results(WRITE)
    assert written["changed_paths"] == [config_file], written
    assert [entry["changes"] for entry in written["files"] if entry["path"] == config_file] == [["content", "mode"]]
    assert ran(edited, RESTART) and not ran(edited, RELOAD)
    assert pid() != first, "a core configuration change did not restart Ganesha"
    with open(config_file) as stream:
        assert stream.read() == config
    assert os.stat(config_file).st_mode & 0o777 == 0o644

    again = converge()
    assert again.changed() == 0, again.tail(80)
