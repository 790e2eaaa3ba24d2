#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: directories
short_description: Make a set of directories exist with their owner, group and mode, in one call
version_added: 0.1.0
description:
  - Creates the directories listed in O(directories) and O(paths) that are missing and sets the owner, group
    and mode of each, like M(ansible.builtin.file) with O(ansible.builtin.file#module:state=directory) in a loop,
    but in one module call (over SSH every call costs a round trip).
  - Missing parents of a listed directory are created with O(owner), O(group) and O(mode) (V(root:root 0755)
    by default), where M(ansible.builtin.file) would give them the directory's own owner and mode; parents
    that exist are left as they are. A parent that is listed itself gets its own attributes.
  - Everything is checked before anything is changed; the module then refuses, changing nothing, with a
    message naming the directory and the field, when a value is not valid, a user or group does not exist
    on the host, or a path or one of its parents exists but is not a directory.
  - Symbolic links are followed, as M(ansible.builtin.file) does by default.
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
    details: Reports what would be created or changed, per path, and changes nothing.
  diff_mode:
    support: full
    details: Before and after per changed path (state, owner and group as ids, mode), as M(ansible.builtin.file) shows them.
options:
  directories:
    description:
      - Directories, each with its own owner, group and mode.
      - A path may be listed once, here or in O(paths).
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: Absolute, normalised path of the directory (not V(/)).
        type: str
        required: true
      owner:
        description: Owner, a user name or a numeric id.
        type: raw
        required: true
      group:
        description: Group, a group name or a numeric id.
        type: raw
        required: true
      mode:
        description: Mode, a quoted octal string such as V('0755') or V('2775'); an unquoted number is refused.
        type: raw
        required: true
  paths:
    description:
      - Directories that get O(owner), O(group) and O(mode).
      - Absolute, normalised paths (not V(/)); a path listed twice here is one directory, a path may not be in
        O(directories) too.
    type: list
    elements: str
    default: []
  owner:
    description: Owner of the directories in O(paths) and of the missing parents created, a user name or a numeric id.
    type: raw
    default: root
  group:
    description: Group of the directories in O(paths) and of the missing parents created, a group name or a numeric id.
    type: raw
    default: root
  mode:
    description: Mode of the directories in O(paths) and of the missing parents created, a quoted octal string.
    type: raw
    default: '0755'
seealso:
  - module: ansible.builtin.file
"""

EXAMPLES = r"""
- name: The exports' directories, their missing parents created as root:root 0755
  stateful.nfs.directories:
    directories:
      - {path: /nfs-data/v1, owner: nobody, group: nogroup, mode: "0755"}
      - {path: /nfs-data/v2, owner: "1234", group: "1234", mode: "0770"}

- name: Configuration and log directories of a service, root:root 0755
  stateful.nfs.directories:
    paths: [/etc/ganesha, /var/log/ganesha, /var/lib/nfs/ganesha]
"""

RETURN = r"""
directories:
  description:
    - One entry per directory of O(directories) and O(paths), and per missing parent the module created (or
      would create), parents before their children.
  returned: success
  type: list
  elements: dict
  contains:
    path:
      description: The directory.
      type: str
      sample: /nfs-data/v1
    parent:
      description: Whether this is a missing parent, created with O(owner), O(group) and O(mode), not a listed directory.
      type: bool
      sample: false
    owner:
      description: The owner asked for (as given).
      type: str
      sample: nobody
    group:
      description: The group asked for (as given).
      type: str
      sample: nogroup
    mode:
      description: The mode asked for, four octal digits.
      type: str
      sample: "0755"
    uid:
      description: The owner's user id.
      type: int
      sample: 65534
    gid:
      description: The group's id.
      type: int
      sample: 65534
    state:
      description: What was there before, V(absent) or V(directory).
      type: str
      sample: directory
    before:
      description: Owner, group (ids) and mode before, for a directory that existed.
      type: dict
      returned: when the directory existed
      sample: {uid: 0, gid: 0, mode: "0700"}
    changes:
      description: What was (in check mode, would be) done, V(create) or some of V(owner), V(group), V(mode).
      type: list
      elements: str
      sample: [owner, mode]
    changed:
      description: Whether this directory was (would be) created or changed.
      type: bool
      sample: true
changed_paths:
  description: The paths created or changed (in check mode, that would be), parents first.
  returned: success
  type: list
  elements: str
  sample: [/nfs-data, /nfs-data/v1]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.stateful.nfs.plugins.module_utils.common.arguments import fail_on_strings_for_lists
from ansible_collections.stateful.nfs.plugins.module_utils.files.directories import DirectoryError, InvalidDirectory
from ansible_collections.stateful.nfs.plugins.module_utils.files.host import HostDirectories

ARGUMENT_SPEC = dict(
    directories=dict(type="list", elements="dict", default=[], options=dict(
        path=dict(type="str", required=True),
        owner=dict(type="raw", required=True),
        group=dict(type="raw", required=True),
        mode=dict(type="raw", required=True),
    )),
    paths=dict(type="list", elements="str", default=[]),
    owner=dict(type="raw", default="root"),
    group=dict(type="raw", default="root"),
    mode=dict(type="raw", default="0755"),
)


def main():
    fail_on_strings_for_lists(ARGUMENT_SPEC)
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    try:
        params = module.params
        result = HostDirectories().converge(params["directories"], params["paths"],
                                            dict((key, params[key]) for key in ("owner", "group", "mode")),
                                            check_mode=module.check_mode, diff=module._diff)
    except DirectoryError as exc:
        suffix = ". Nothing was changed" if isinstance(exc, InvalidDirectory) else ""
        module.fail_json(msg=str(exc) + suffix, **exc.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
