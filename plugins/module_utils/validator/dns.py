# -*- coding: utf-8 -*-
# Copyright: stateful.nfs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DNS check: what cluster DNS must answer for a StatefulSet's pods (pure, no I/O).

``dns_plan`` turns the StatefulSet, its governing Service and its pods into the queries
to ask and the answers to expect; the I/O layer asks them (concurrently, with
timeouts) and ``evaluate_dns`` compares. For every pod with an address:

* published (Ready, or any state when the Service sets ``publishNotReadyAddresses``):
  ``A``/``AAAA`` ``<pod>.<svc>.<ns>.svc.<domain>`` is exactly the pod IP; ``PTR`` of the
  pod IP is exactly that name (a second name is a duplicate PTR); the Service name lists
  the pod IP;
* not published (NotReady): the name must not resolve, and the gap is reported;
* ``SRV _<port>._<proto>.<svc>.<ns>.svc.<domain>`` for every named Service port lists
  every published pod with the resolved target port, and nothing else.

Each pod's record also gives its short name ``<pod>.<svc>`` in the search-path form: what a pod
in the same namespace asks for it (the first domain of its resolv.conf search list,
``<ns>.svc.<domain>``, appended). That is the same question as the ``A``/``AAAA`` one, so it costs
nothing and a wrong answer is that check's violation; the record says so for the reader who
follows the tutorial's ``nslookup <pod>.<svc>``.

The Service itself must exist, be headless (``clusterIP: None``) and select the pod
template's labels; each pod's ``subdomain`` must name it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.stateful.nfs.plugins.module_utils.k8s import objects as obj
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.labels import service_selects
from ansible_collections.stateful.nfs.plugins.module_utils.k8s.names import pod_fqdn, reverse_pointer, search_path

CHECK = "dns"


def normalize_name(name):
    return (name or "").rstrip(".").lower()


def _v(pod, message):
    return {"check": CHECK, "pod": pod, "message": message}


def _target_port(service_port, pod):
    target = service_port.get("targetPort")
    if target is None:
        return service_port.get("port")
    if isinstance(target, int) or (isinstance(target, str) and target.isdigit()):
        return int(target)
    for container in obj.spec(pod).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target:
                return port.get("containerPort")
    return None


def dns_plan(sts, service, pods, cluster_domain="cluster.local"):
    """Return ``{"service", "violations", "pods", "srv", "queries"}``.

    ``queries`` is a de-duplicated list of ``(qname, rdtype)`` to resolve.
    """
    name = obj.meta(sts).get("name")
    namespace = obj.meta(sts).get("namespace") or "default"
    svc_name = obj.spec(sts).get("serviceName")
    violations, queries, rows, srv = [], [], [], []
    info = {"name": svc_name, "exists": service is not None, "headless": None, "selector": None,
            "selects_pods": None, "publish_not_ready": None}
    if not svc_name:
        violations.append(_v(None, "StatefulSet %s has no spec.serviceName: its pods get no per-pod DNS names" % name))
        return {"service": info, "violations": violations, "pods": rows, "srv": srv, "queries": queries}
    if service is None:
        violations.append(_v(None, "Service %s/%s (spec.serviceName of %s) does not exist"
                             % (namespace, svc_name, name)))
        return {"service": info, "violations": violations, "pods": rows, "srv": srv, "queries": queries}
    svc_spec = obj.spec(service)
    selector = svc_spec.get("selector") or {}
    template_labels = obj.meta(obj.spec(sts).get("template") or {}).get("labels") or {}
    publish = bool(svc_spec.get("publishNotReadyAddresses"))
    info.update({"headless": svc_spec.get("clusterIP") == "None", "selector": selector,
                 "selects_pods": service_selects(selector, template_labels), "publish_not_ready": publish})
    if not info["headless"]:
        violations.append(_v(None, "Service %s is not headless (clusterIP %s): per-pod DNS records need clusterIP: None"
                             % (svc_name, svc_spec.get("clusterIP"))))
    if not info["selects_pods"]:
        violations.append(_v(None, "Service %s selector %s does not select the pod template labels %s of %s"
                             % (svc_name, selector or "{} (none)", template_labels, name)))

    svc_fqdn = "%s.%s.svc.%s" % (svc_name, namespace, normalize_name(cluster_domain))
    search_domain = search_path(namespace, normalize_name(cluster_domain))[0]
    own = obj.owned_pods(sts, pods)
    published = []
    for pod in own:
        pod_name = obj.meta(pod).get("name")
        ip = obj.pod_ip(pod)
        fqdn = pod_fqdn(pod_name, svc_name, namespace, normalize_name(cluster_domain))
        ready = obj.is_ready(pod)
        row = {"pod": pod_name, "ordinal": obj.pod_ordinal(pod, name), "fqdn": fqdn, "ip": ip, "ready": ready,
               "published": bool(ip) and (ready or publish) and not obj.is_terminating(pod),
               "terminating": obj.is_terminating(pod), "subdomain": obj.spec(pod).get("subdomain"),
               "hostname": obj.spec(pod).get("hostname"), "a": None, "ptr": None, "search": None}
        rows.append(row)
        if row["terminating"]:
            continue
        if row["subdomain"] != svc_name or (row["hostname"] and row["hostname"] != pod_name):
            violations.append(_v(pod_name, "%s has hostname %r and subdomain %r; its DNS name needs hostname %s and "
                                 "subdomain %s" % (pod_name, row["hostname"], row["subdomain"], pod_name, svc_name)))
        if not ip:
            continue
        rdtype = "AAAA" if ipaddress.ip_address(ip).version == 6 else "A"
        row["a"] = {"query": fqdn, "type": rdtype}
        queries.append((fqdn, rdtype))
        short = "%s.%s" % (pod_name, svc_name)
        row["search"] = {"name": short, "form": "search path", "search_domain": search_domain,
                         "query": "%s.%s" % (short, search_domain), "type": rdtype}
        queries.append((row["search"]["query"], rdtype))
        if row["published"]:
            row["ptr"] = {"query": reverse_pointer(ip), "type": "PTR"}
            queries.append((reverse_pointer(ip), "PTR"))
            published.append((pod, row))
    if published:
        queries.append((svc_fqdn, "A"))
        if any(row["a"]["type"] == "AAAA" for row in (item[1] for item in published)):
            queries.append((svc_fqdn, "AAAA"))
    for port in svc_spec.get("ports") or []:
        if not port.get("name"):
            continue
        qname = "_%s._%s.%s" % (port["name"], (port.get("protocol") or "TCP").lower(), svc_fqdn)
        expect = {}
        for pod, row in published:
            number = _target_port(port, pod)
            if number is not None:
                expect[row["fqdn"]] = int(number)
        srv.append({"query": qname, "port": port["name"], "expected": expect, "answer": None})
        queries.append((qname, "SRV"))
    return {"service": info, "service_fqdn": svc_fqdn, "search_domain": search_domain, "violations": violations,
            "pods": rows, "srv": srv, "queries": list(dict.fromkeys(queries))}


def _describe_answer(answer):
    if answer is None:
        return "no answer"
    if answer.get("rcode") == "TIMEOUT":
        return "a timeout (%s)" % (answer.get("error") or "no reply")
    if answer.get("rcode") == "ERROR":
        return "an error (%s)" % answer.get("error")
    if not answer.get("values"):
        return "%s with no records" % answer.get("rcode")
    return ", ".join(answer["values"])


def evaluate_dns(plan, answers, server=None):
    """Compare a ``dns_plan`` with ``answers`` ``{(qname, rdtype): {"rcode", "values", "error"}}``.

    Returns ``{"status", "summary", "violations", "records", "srv", "service", "unchecked"}``.

    A name that lists every pod (the Service's own A/AAAA, an SRV name) whose answer does not fit in
    one DNS message even over TCP (``truncated``: more than about 4,090 addresses) cannot list them in
    DNS at all: that comparison is ``unchecked`` (a sentence each), not a violation per pod; each pod's
    own name is still checked.
    """
    violations = list(plan["violations"])
    unchecked = []
    at = " at %s" % server if server else ""
    published = sum(1 for r in plan["pods"] if r["published"])

    def get(qname, rdtype):
        return answers.get((normalize_name(qname), rdtype))

    def too_large(name, answer):
        unchecked.append("whether %s lists every published pod (%d)%s: its answer does not fit in one DNS message "
                         "even over TCP (65,535 bytes; the reply held %s records), so no client gets the whole list"
                         % (name, published, at, answer.get("held", "some")))

    service_ips = set()
    service_failed = []  # the Service name's answers that are not answers (an error, a timeout)
    service_cut = set()  # the record types whose answer is too large for one DNS message
    for rdtype in ("A", "AAAA"):
        answer = get(plan.get("service_fqdn"), rdtype)
        if answer:
            service_ips.update(answer.get("values") or [])
            if answer.get("truncated"):
                service_cut.add(rdtype)
                too_large("%s %s" % (rdtype, plan.get("service_fqdn")), answer)
            elif answer.get("rcode") in ("ERROR", "TIMEOUT"):
                service_failed.append("%s got %s" % (rdtype, _describe_answer(answer)))
    why_unlisted = " (%s)" % "; ".join(service_failed) if service_failed else ""
    records = []
    for row in plan["pods"]:
        record = dict(row)
        records.append(record)
        pod, fqdn, ip = row["pod"], row["fqdn"], row["ip"]
        if row["terminating"]:
            continue
        if not ip:
            violations.append(_v(pod, "%s has no IP yet, so %s cannot resolve" % (pod, fqdn)))
            continue
        a = get(fqdn, row["a"]["type"])
        record["a"] = dict(row["a"], rcode=(a or {}).get("rcode"), values=(a or {}).get("values") or [])
        search = get(row["search"]["query"], row["search"]["type"])
        record["search"] = dict(row["search"], rcode=(search or {}).get("rcode"),
                                values=(search or {}).get("values") or [])
        got = record["a"]["values"]
        if not row["published"]:
            if got:
                violations.append(_v(pod, "%s is not Ready but %s %s still resolves to %s%s" % (
                    pod, row["a"]["type"], fqdn, ", ".join(got), at)))
            else:
                violations.append(_v(pod, "%s is not Ready, so %s does not resolve (%s%s): a NotReady gap, as Service "
                                     "%s does not publish not-ready addresses" % (pod, fqdn, _describe_answer(a), at,
                                                                                  plan["service"]["name"])))
            continue
        if got != [ip]:
            if ip not in got:
                violations.append(_v(pod, "%s %s answered %s%s; expected %s (the IP of %s)" % (
                    row["a"]["type"], fqdn, _describe_answer(a), at, ip, pod)))
            else:
                violations.append(_v(pod, "%s %s answered extra address(es) %s besides %s%s" % (
                    row["a"]["type"], fqdn, ", ".join(x for x in got if x != ip), ip, at)))
        ptr = get(row["ptr"]["query"], "PTR")
        names = [normalize_name(n) for n in (ptr or {}).get("values") or []]
        record["ptr"] = dict(row["ptr"], rcode=(ptr or {}).get("rcode"), values=names)
        if fqdn not in names:
            violations.append(_v(pod, "PTR %s (%s, the IP of %s) answered %s%s; expected %s" % (
                row["ptr"]["query"], ip, pod, _describe_answer(ptr), at, fqdn)))
        elif len(names) > 1:
            violations.append(_v(pod, "PTR %s (%s) has %d names, a duplicate PTR: %s; expected only %s" % (
                row["ptr"]["query"], ip, len(names), ", ".join(names), fqdn)))
        if ip not in service_ips and row["a"]["type"] not in service_cut:
            violations.append(_v(pod, "%s does not list %s (the IP of %s)%s%s" % (
                plan.get("service_fqdn"), ip, pod, at, why_unlisted)))
    srv_rows = []
    for item in plan["srv"]:
        answer = get(item["query"], "SRV")
        if answer and answer.get("truncated"):
            too_large("SRV %s" % item["query"], answer)
            srv_rows.append(dict(item, answer={"rcode": answer.get("rcode"), "values": []}))
            continue
        got = {}
        for value in (answer or {}).get("values") or []:
            target, port = value.rsplit(":", 1)
            got[normalize_name(target)] = int(port)
        srv_rows.append(dict(item, answer={"rcode": (answer or {}).get("rcode"), "values": sorted(
            "%s:%d" % kv for kv in got.items())}))
        for fqdn, port in sorted(item["expected"].items()):
            if got.get(fqdn) != port:
                violations.append(_v(fqdn.split(".", 1)[0], "SRV %s lacks %s port %d (answered %s)%s" % (
                    item["query"], fqdn, port, _describe_answer(answer), at)))
        for fqdn in sorted(set(got) - set(item["expected"])):
            violations.append(_v(None, "SRV %s has an extra target %s:%d that is not a published pod of the "
                                 "StatefulSet%s" % (item["query"], fqdn, got[fqdn], at)))
    complete = sum(1 for r in srv_rows if r["answer"]["values"] or not r["expected"])
    summary = violations[0]["message"] if violations else \
        "%d pod name(s) resolve forward and back%s (and as <pod>.%s through the search path %s); " \
        "%d SRV name(s) complete" % (published, at, plan["service"]["name"], plan.get("search_domain"), complete)
    if unchecked and not violations:
        summary += "; not checked: " + "; ".join(unchecked)
    return {"status": "failed" if violations else "passed", "summary": summary, "violations": violations,
            "records": records, "srv": srv_rows, "service": plan["service"], "unchecked": unchecked}
