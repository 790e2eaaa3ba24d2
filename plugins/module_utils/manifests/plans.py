# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three plan actions (statefulset_manifest, statefulset_preflight, nfs_pv_manifest): their
argument specs and their results (pure, no I/O).

The action plugins validate their arguments against these specs and call these functions on the
controller; plugins/modules/ hold their documentation. What a role needs to decide - what to apply,
what check mode cannot dry-run, how long to wait, which volumes are still bound - is a field of
these results, not Jinja in the role.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import selector_terms
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.fields import SpecError
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.immutable import immutable_changes
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.preflight import unbindable_claims
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.statefulset import (
    claim_names,
    claim_pattern,
    render_statefulset,
)
from ansible_collections.stateful.nfs.plugins.module_utils.manifests.volumes import (
    VOLUME_SET_LABEL,
    bound_volumes,
    reclaim_patches,
    place_volumes,
    refuse_shared_exports,
)
from ansible_collections.stateful.nfs.plugins.module_utils.validator.completion import status_reports_complete


class PlanFailure(SpecError):
    """A refusal that still carries a result (for example the immutable changes found)."""

    def __init__(self, message, result):
        super(PlanFailure, self).__init__(message)
        self.result = result


def _wait_timeouts(params, prefix):
    """Refuse wait timeouts that are not a positive number of seconds (all of them in one message)."""
    bad = ["%s%s: must be a positive number of seconds, got %s" % (prefix, option, params.get(option))
           for option in ("wait_timeout", "wait_timeout_unbindable")
           if params.get(option) is not None and params[option] < 1]
    if bad:
        raise SpecError("%s; nothing was changed" % "; ".join(bad))


def manifest_plan(params):
    """statefulset_manifest: validated options in, ``{service, statefulset, claims, ...}`` out."""
    params = dict(params)
    prefix = params.pop("field_prefix", "")
    _wait_timeouts(params, prefix)
    if params.get("container_name") is None:
        params["container_name"] = params["name"]
    bundle = render_statefulset(params, prefix=prefix)
    return {
        "changed": False,
        "service": bundle["service"],
        "statefulset": bundle["statefulset"],
        "claims": [{"ordinal": ordinal, "template": tpl["metadata"]["name"], "claim": claim}
                   for ordinal, tpl, claim in claim_names(bundle["statefulset"])],
        "claim_pattern": claim_pattern(bundle["statefulset"]),
        "label_selectors": selector_terms(bundle["statefulset"]["spec"]["selector"]),
    }


def _dry_run_blocker(namespace, missing_namespace, changes):
    """Why check mode cannot dry-run the apply ("" when it can).

    A namespace that does not exist yet holds no server-side dry run, and a re-create's delete is
    only simulated (the API would refuse the immutable change against the object still there).
    """
    if missing_namespace:
        return "namespace %s does not exist yet and would be created" % namespace
    if changes:
        return ("the StatefulSet/Service would be deleted (orphaning pods and claims) and re-created for: %s"
                % ", ".join(c["field"] for c in changes))
    return ""


def preflight_plan(params):
    """statefulset_preflight: the result, and ``PlanFailure`` for a refusal."""
    prefix = params.get("field_prefix", "")
    _wait_timeouts(params, prefix)
    statefulset, service = params["statefulset"], params.get("service") or {}
    namespace = (statefulset.get("metadata") or {}).get("namespace") or "default"
    # live_namespace left out: not looked up (the namespace is taken to exist); {}: it does not exist.
    missing_namespace = params.get("live_namespace") is not None and not params["live_namespace"]
    if missing_namespace and not params.get("create_namespace"):
        raise SpecError("%snamespace: namespace %s does not exist; create it or set %screate_namespace=true"
                        % (prefix, namespace, prefix))
    changes = immutable_changes(statefulset, params.get("live_statefulset"), service, params.get("live_service"))
    check = params.get("storage_check", "fail")
    if check == "fail" and params.get("check_mode"):
        # In check mode the volumes an earlier task would create do not exist yet: warn, do not fail.
        check = "warn"
    pending = [] if check == "skip" else unbindable_claims(
        statefulset, params.get("persistent_volumes"), params.get("claims"), params.get("storage_classes"))
    wait_timeout = params.get("wait_timeout", 300)
    if pending:
        wait_timeout = min(wait_timeout, params.get("wait_timeout_unbindable", 30))
    result = {
        "changed": False,
        "immutable_changes": changes,
        "recreate_statefulset": any(c["field"].startswith("statefulset.") for c in changes),
        "recreate_service": any(c["field"].startswith("service.") for c in changes),
        "unbindable_claims": pending,
        # The one apply call: the namespace when it must be created, the Service, the StatefulSet.
        "apply": ([{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}] if missing_namespace else [])
        + ([service] if service else []) + [statefulset],
        "dry_run_blocker": _dry_run_blocker(namespace, missing_namespace, changes),
        "wait_timeout": wait_timeout,
        # the live object's own status, before the apply: with an apply that changes nothing, nothing to wait for
        "live_rollout_complete": status_reports_complete(params.get("live_statefulset") or {}),
    }
    if changes and not params.get("recreate"):
        raise PlanFailure(
            "%s. Refusing to touch the cluster: set %srecreate=true to delete the StatefulSet with "
            "propagationPolicy=Orphan (pods and PersistentVolumeClaims stay) and create it again"
            % ("; ".join(c["message"] for c in changes), prefix), result)
    if pending and check == "fail":
        raise PlanFailure(
            "%s. Refusing to scale into claims that cannot bind: add PersistentVolumes (or reclaim "
            "Released ones), lower %sreplicas, or set %sstorage_check=warn"
            % ("; ".join(c["reason"] for c in pending), prefix, prefix), result)
    result["warnings"] = [c["reason"] for c in pending]
    return result


def pv_plan(params):
    """nfs_pv_manifest: ``{volumes, names, sources, label_selector, reclaim, bound, shared_exports}``; a volume
    on an export a live volume of ``cluster_volumes`` already uses is refused, or a warning with
    ``allow_shared_exports``."""
    prefix = params.get("field_prefix", "")
    placed = place_volumes(params, prefix)
    shared = refuse_shared_exports(placed, params.get("cluster_volumes"), params.get("allow_shared_exports"), prefix)
    volumes = [pv for _where, pv in placed]
    volume_set = params.get("volume_set", "default")
    result = {
        "changed": False,
        "volumes": volumes,
        "names": [v["metadata"]["name"] for v in volumes],
        "sources": [where for where, _pv in placed],
        "label_selector": "%s=%s" % (VOLUME_SET_LABEL, volume_set),
        "reclaim": reclaim_patches(params.get("live_volumes"), params.get("reclaim_mode", "keep_claim_name"),
                                   params.get("reclaim_names"), volume_set),
        "bound": bound_volumes(params.get("live_volumes"), volume_set),
        "shared_exports": shared,
    }
    if shared:
        result["warnings"] = list(shared)
    return result
