# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Kubernetes API I/O of ``statefulset_validate``: reads and watches through
kubernetes.core's client. Nothing here decides anything.

``StatefulSetClient`` wraps the dynamic client that ``kubernetes.core``'s
``get_api_client`` builds (auth options, kubeconfig, proxies: all theirs) and uses its
raw ``request`` so that lists and watch events stay plain JSON dicts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import queue
import threading
import time

try:
    from kubernetes.client.exceptions import ApiException
    from kubernetes.watch.watch import iter_resp_lines
    HAS_KUBERNETES = True
except ImportError:
    HAS_KUBERNETES = False

    class ApiException(Exception):
        status = None

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import selector_string

REQUEST_TIMEOUT = 30
# Lists are read in pages of this many objects: 5,000 pods are 22 MB of JSON and, parsed, 100 MB of
# which 40 MB are metadata.managedFields, which no check reads; a page at a time, without those,
# the module's peak memory is the objects it keeps, not the whole list three times (bytes, text,
# objects). A StatefulSet of up to LIST_PAGE pods is still read in one call.
LIST_PAGE = 1000


def concurrently(calls):
    """Run ``{key: callable}`` at once, one thread each: ``{key: (result, seconds it took)}``. When
    one raised, the first of those errors (in the order of ``calls``) is raised once all have ended."""
    done, errors = {}, {}

    def run(key, call):
        started = time.monotonic()
        try:
            done[key] = (call(), time.monotonic() - started)
        except Exception as exc:  # pylint: disable=broad-except
            errors[key] = exc

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for key in calls:
        if key in errors:
            raise errors[key]
    return done


class StatefulSetClient:
    """Reads a StatefulSet and everything the checks need; streams its watch events."""

    def __init__(self, dynamic_client):
        self.dynamic = dynamic_client

    # -- plain reads
    def _get(self, path, **query):
        params = [(k, v) for k, v in query.items() if v is not None]
        resp = self.dynamic.request("GET", path, query_params=params, header_params={"Accept": "application/json"},
                                    _request_timeout=REQUEST_TIMEOUT, serialize=False)
        try:
            return json.loads(resp.data)
        finally:
            resp.release_conn()

    def _list(self, path, **query):
        """A list, read in pages of ``LIST_PAGE`` (the API's "chunking": every page
        of one list is served from the same resourceVersion), each item without
        ``metadata.managedFields``. Returns ``{"metadata": the list's, "items": [...]}``. A
        continue token that expired (410, the list took longer than etcd keeps its revision) reads
        the whole list again in one call."""
        items = []
        page = self._get(path, limit=str(LIST_PAGE), **query)
        while True:
            for item in page.get("items") or []:
                item.get("metadata", {}).pop("managedFields", None)
            items.extend(page.get("items") or [])
            token = obj.meta(page).get("continue")
            if not token:
                break
            try:
                page = self._get(path, limit=str(LIST_PAGE), **dict(query, **{"continue": token}))
            except ApiException as exc:
                if exc.status != 410:
                    raise
                listing = self._get(path, **query)
                for item in listing.get("items") or []:
                    item.get("metadata", {}).pop("managedFields", None)
                return listing
        metadata = dict(obj.meta(page))
        metadata.pop("continue", None)
        metadata.pop("remainingItemCount", None)
        return {"metadata": metadata, "items": items}

    def _get_or_none(self, path):
        try:
            return self._get(path)
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise

    def statefulset(self, namespace, name):
        return self._get_or_none("/apis/apps/v1/namespaces/%s/statefulsets/%s" % (namespace, name))

    def pods(self, namespace, selector):
        return self._list("/api/v1/namespaces/%s/pods" % namespace, labelSelector=selector)

    def events(self, namespace, kind, name=None):
        fields = "involvedObject.kind=%s" % kind
        if name:
            fields += ",involvedObject.name=%s" % name
        return self._list("/api/v1/namespaces/%s/events" % namespace, fieldSelector=fields).get("items") or []

    def snapshot(self, namespace, name, checks, with_pods=None):
        """Everything the selected checks read, as plain dicts (``statefulset`` None if absent).
        After the StatefulSet, the reads go at once, one thread each (the API server works on one
        while this process parses another's JSON). ``with_pods(sts, service, pods)``, if given, is
        called as soon as the pods (and, for the dns check, the Service) are read, in their thread,
        while the other reads go on; what it returns is ``with_pods``. ``read_seconds``: how long the
        reads took, for each check whose own reads they were, and under ``statefulset`` for the
        StatefulSet and its pods, which every check reads."""
        clock = time.monotonic
        started = clock()
        sts = self.statefulset(namespace, name)
        shot = {"statefulset": sts, "pods": [], "events": [], "claims": [], "volumes": [], "claim_events": [],
                "service": None, "taken": time.time(), "read_seconds": {}}
        if sts is None:
            return shot
        seconds = shot["read_seconds"]
        first = clock() - started

        def pods_and_service():
            began = clock()
            shot["pods"] = self.pods(namespace, selector_string(obj.spec(sts).get("selector"))).get("items") or []
            seconds["statefulset"] = first + clock() - began
            if "dns" in checks and obj.spec(sts).get("serviceName"):
                began = clock()
                shot["service"] = self._get_or_none("/api/v1/namespaces/%s/services/%s"
                                                    % (namespace, obj.spec(sts)["serviceName"]))
                seconds["dns"] = clock() - began
            if with_pods is not None:
                shot["with_pods"] = with_pods(sts, shot["service"], shot["pods"])

        reads = {"pods": pods_and_service}
        if "order" in checks:
            reads["events"] = lambda: self.events(namespace, "StatefulSet", name)
        if "storage" in checks and obj.claim_templates(sts):
            reads["claims"] = lambda: self._claims(namespace)
            reads["volumes"] = lambda: self._list("/api/v1/persistentvolumes").get("items") or []
        done = concurrently(reads)
        if "events" in done:
            shot["events"], seconds["order"] = done["events"]
        if "claims" in done:
            (shot["claims"], shot["claim_events"]), took = done["claims"]
            shot["volumes"], also = done["volumes"]
            seconds["storage"] = max(took, also)
        shot["taken"] = time.time()
        return shot

    def _claims(self, namespace):
        """The namespace's claims, and (only when one is not Bound) their events."""
        claims = self._list("/api/v1/namespaces/%s/persistentvolumeclaims" % namespace).get("items") or []
        events = []
        if any(obj.status(c).get("phase") != "Bound" for c in claims):
            events = self.events(namespace, "PersistentVolumeClaim")
        return claims, events

    # -- watch
    def initial_state(self, namespace, name):
        """``(statefulset or None, pods, {"Pod": rv, "StatefulSet": rv})`` to watch from."""
        listing = self._get("/apis/apps/v1/namespaces/%s/statefulsets" % namespace,
                            fieldSelector="metadata.name=%s" % name)
        items = listing.get("items") or []
        sts = items[0] if items else None
        selector = selector_string(obj.spec(sts).get("selector")) if sts else None
        pods = self.pods(namespace, selector)
        versions = {"StatefulSet": obj.meta(listing).get("resourceVersion"),
                    "Pod": obj.meta(pods).get("resourceVersion")}
        return sts, pods.get("items") or [], versions

    def stream(self, namespace, name, selector, resource_versions, deadline, wake=None):
        """Yield batches ``[(kind, type, object, epoch), ...]`` from a pod watch and a
        StatefulSet watch, merged in arrival order, until ``deadline`` (a
        ``time.monotonic()`` value) or until the caller closes the generator. Each batch
        is what arrived together; an empty batch is yielded at the epoch ``wake[0]`` (if
        set), when a condition may turn true by the passing of time alone. An expired
        watch (410) is re-listed and resumed; the re-list reports vanished pods as
        DELETED."""
        events = queue.Queue()
        stop = threading.Event()
        open_responses = []
        sources = [
            ("Pod", "/api/v1/namespaces/%s/pods" % namespace, [("labelSelector", selector)] if selector else []),
            ("StatefulSet", "/apis/apps/v1/namespaces/%s/statefulsets" % namespace,
             [("fieldSelector", "metadata.name=%s" % name)]),
        ]

        def pump(kind, path, query):
            version = resource_versions[kind]
            known = set()
            while not stop.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                params = query + [("watch", "true"), ("allowWatchBookmarks", "true"),
                                  ("resourceVersion", version), ("timeoutSeconds", int(remaining) + 1)]
                try:
                    resp = self.dynamic.request("GET", path, query_params=params,
                                                header_params={"Accept": "application/json"},
                                                _request_timeout=(REQUEST_TIMEOUT, remaining + 5), serialize=False)
                    open_responses.append(resp)
                    expired = False
                    for line in iter_resp_lines(resp):
                        if stop.is_set():
                            return
                        if not line:
                            continue
                        event = json.loads(line)
                        item = event.get("object") or {}
                        if event.get("type") == "ERROR":
                            if item.get("code") == 410:
                                expired = True
                                break
                            raise ApiException(status=item.get("code"), reason=item.get("message"))
                        version = obj.meta(item).get("resourceVersion") or version
                        if event.get("type") == "BOOKMARK":
                            continue
                        known.add(obj.meta(item).get("name"))
                        if event.get("type") == "DELETED":
                            known.discard(obj.meta(item).get("name"))
                        events.put((kind, event.get("type"), item, time.time()))
                    if expired:
                        listing = self._list(path, **dict(query))
                        version = obj.meta(listing).get("resourceVersion")
                        names = set()
                        for item in listing.get("items") or []:
                            names.add(obj.meta(item).get("name"))
                            events.put((kind, "MODIFIED", item, time.time()))
                        for gone in known - names:
                            events.put((kind, "DELETED", {"metadata": {"name": gone}}, time.time()))
                        known = names
                except Exception as exc:  # pylint: disable=broad-except
                    if not stop.is_set():
                        events.put(("ERROR", kind, exc, time.time()))
                    return

        threads = [threading.Thread(target=pump, args=source, daemon=True) for source in sources]
        for thread in threads:
            thread.start()
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                timeout = remaining
                if wake and wake[0] is not None:
                    timeout = max(0.0, min(remaining, wake[0] - time.time() + 0.05))
                try:
                    batch = [events.get(timeout=timeout)]
                except queue.Empty:
                    if timeout < remaining:
                        wake[0] = None
                        yield []
                        continue
                    return
                while True:
                    try:
                        batch.append(events.get_nowait())
                    except queue.Empty:
                        break
                for item in batch:
                    if item[0] == "ERROR":
                        raise item[2]
                yield batch
        finally:
            stop.set()
            for resp in open_responses:
                try:
                    resp.shutdown()
                except Exception:  # pylint: disable=broad-except
                    pass
