#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: files
short_description: Make a set of files hold their content, owner, group and mode, in one call
version_added: 0.1.0
description:
  - Writes each file of O(files) whose content differs and sets its owner, group and mode, like
    M(ansible.builtin.copy) with O(ansible.builtin.copy#module:content) (or M(ansible.builtin.template)) in a
    loop, but in one module call. Over SSH each of those costs two round trips per file (a stat, then the
    write or a M(ansible.builtin.file) call), this module one for all.
  - New content is written to a private file in the same directory and renamed over the old one, so a
    reader sees the old file or the new one, never part of one.
  - Everything is checked before anything is changed; the module then refuses, changing nothing, with a
    message naming the file and the field, when a value is not valid, a user or group does not exist on the
    host, a path exists but is not a file, or its directory does not exist (create it first, for example with
    M(stateful.nfs.directories)).
  - Symbolic links are followed, the file they point to is written. SELinux contexts and backups are not
    managed; use M(ansible.builtin.template) where they matter.
  - Each result says which of content, owner, group and mode changed, so the caller can act on exactly what
    changed (C(changed_paths)), for example restart a service for one file and reload it for another.
author:
  - stateful.nfs maintainers (@stateful-nfs)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  platform:
    support: full
    platforms: posix
  check_mode:
    support: full
    details: Reports what would be created or changed, per file, and changes nothing. A file whose directory does
      not exist yet is reported as created (an earlier task may only have said it would create the directory).
  diff_mode:
    support: full
    details: The content before and after per changed file, as M(ansible.builtin.template) shows it, and owner,
      group (as ids) and mode where only they change.
options:
  files:
    description:
      - The files. Render templates on the controller with the P(ansible.builtin.template#lookup) lookup.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: Absolute, normalised path of the file; its directory must exist. A path may be listed once.
        type: str
        required: true
      content:
        description: The whole content of the file, as text (written as UTF-8).
        type: str
        required: true
      owner:
        description: Owner, a user name or a numeric id.
        type: raw
        default: root
      group:
        description: Group, a group name or a numeric id.
        type: raw
        default: root
      mode:
        description: Mode, a quoted octal string such as V('0644'); an unquoted number is refused.
        type: raw
        default: '0644'
seealso:
  - module: ansible.builtin.template
  - module: ansible.builtin.copy
  - module: stateful.nfs.directories
"""

EXAMPLES = r"""
- name: Write a service's configuration files (one call)
  stateful.nfs.files:
    files:
      - path: /etc/ganesha/ganesha.conf
        content: "{{ lookup('ansible.builtin.template', 'ganesha.conf.j2') }}"
      - path: /etc/ganesha/exports.conf
        content: "{{ lookup('ansible.builtin.template', 'ganesha-exports.conf.j2') }}"
        mode: "0640"
  register: written

- name: Restart only when the core configuration changed
  ansible.builtin.debug:
    msg: the core configuration changed
  when: "'/etc/ganesha/ganesha.conf' in written.changed_paths"
"""

RETURN = r"""
files:
  description: One entry per file of O(files), in their order.
  returned: success
  type: list
  elements: dict
  contains:
    path:
      description: The file.
      type: str
      sample: /etc/ganesha/ganesha.conf
    owner:
      description: The owner asked for (as given).
      type: str
      sample: root
    group:
      description: The group asked for (as given).
      type: str
      sample: root
    mode:
      description: The mode asked for, four octal digits.
      type: str
      sample: "0644"
    uid:
      description: The owner's user id.
      type: int
      sample: 0
    gid:
      description: The group's id.
      type: int
      sample: 0
    checksum:
      description: SHA-1 of the content asked for.
      type: str
      sample: 6f3b0ba2b8a9ad3a7d0c7e1c0e3f3a7f9f2a4b1c
    state:
      description: What was there before, V(absent) or V(file).
      type: str
      sample: file
    before:
      description: Owner, group (ids), mode and SHA-1 of the content before, for a file that existed.
      type: dict
      returned: when the file existed
      sample: {uid: 0, gid: 0, mode: "0644", checksum: 2c26b46b68ffc68ff99b453c1d30413413422d70}
    changes:
      description: What was (in check mode, would be) done, V(create) or some of V(content), V(owner), V(group), V(mode).
      type: list
      elements: str
      sample: [content]
    changed:
      description: Whether this file was (would be) created or changed.
      type: bool
      sample: true
changed_paths:
  description: The files created or changed (in check mode, that would be), in the order of O(files).
  returned: success
  type: list
  elements: str
  sample: [/etc/ganesha/ganesha.conf]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import fail_on_strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.files.contents import FileError, InvalidFile
from ansible_collections.stateful.nfs.plugins.module_utils.files.host import HostFiles

ARGUMENT_SPEC = dict(
    files=dict(type="list", elements="dict", required=True, options=dict(
        path=dict(type="str", required=True),
        content=dict(type="str", required=True),
        owner=dict(type="raw", default="root"),
        group=dict(type="raw", default="root"),
        mode=dict(type="raw", default="0644"),
    )),
)


def main():
    fail_on_strings_for_lists(ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    try:
        result = HostFiles().converge(module.params["files"], check_mode=module.check_mode, diff=module._diff)
    except FileError as exc:
        suffix = ". Nothing was changed" if isinstance(exc, InvalidFile) else ""
        module.fail_json(msg=str(exc) + suffix, **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
