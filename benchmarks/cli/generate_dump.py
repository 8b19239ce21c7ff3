#!/usr/bin/env python3
"""Writes a synthetic cluster dump shaped like `kubectl get pods,services -A -o json`.

Fixed seed, Python standard library only. Defaults: 150,000 pods and 10,000 services in 200
namespaces, about 120 MB (kubectl's key order and list order, one-space indentation). With
--order api the same objects are written as the API server encodes them (what
`kubectl get --raw` prints): fields in the order of the Go structs (`kind` and `apiVersion`
first, `items` last), no whitespace, about 70 MB. Every
service selects ~15 pods, so `svcdisc get endpointslices -A -o json` has real work to do; some
pods are not ready, terminating, pending without an IP or finished; some services use named
target ports, two ports, or are headless.

Usage: generate_dump.py OUT.json [--pods N] [--services N] [--namespaces N] [--seed S]
                        [--order kubectl|api]
"""
import argparse
import json
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--pods", type=int, default=150_000)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--namespaces", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20240502)
    parser.add_argument("--order", choices=("kubectl", "api"), default="kubectl",
                        help="kubectl: keys sorted, indented; api: Go struct order, compact")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    items = []
    services_per_ns = max(1, args.services // args.namespaces)
    apps = []  # (namespace, app, named_port, two_ports)
    for s in range(args.services):
        ns = f"team-{s // services_per_ns % args.namespaces:03d}"
        app = f"app-{s:05d}"
        named = rng.random() < 0.3
        two = rng.random() < 0.2
        headless = rng.random() < 0.05
        apps.append((ns, app, named, two))
        # Every object is built in the API server's field order (the Go structs'); kubectl's
        # order is the same objects with their keys sorted.
        ports = [{"name": "http", "protocol": "TCP", "port": 80,
                  "targetPort": "http" if named else 8080}]
        if two:
            ports.append({"name": "metrics", "protocol": "TCP", "port": 9100, "targetPort": 9100})
        cluster_ip = "None" if headless else f"10.{96 + s // 65536}.{s // 256 % 256}.{s % 256}"
        spec = {
            "ports": ports,
            "selector": {"app": app},
            "clusterIP": cluster_ip,
            "clusterIPs": [cluster_ip],
            "type": "ClusterIP",
            "sessionAffinity": "None",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
        }
        items.append({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {
                "name": app,
                "namespace": ns,
                "uid": f"{rng.getrandbits(128):032x}",
                "resourceVersion": str(1000 + s),
                "creationTimestamp": "2024-05-01T08:00:00Z",
                "labels": {"app": app},
            },
            "spec": spec,
            "status": {"loadBalancer": {}},
        })

    for p in range(args.pods):
        ns, app, named, two = apps[p % len(apps)]
        roll = rng.random()
        ready = roll > 0.05
        ip = f"10.{(p >> 16) & 255}.{(p >> 8) & 255}.{p & 255}"
        ports = [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
        if two:
            ports.append({"name": "metrics", "containerPort": 9100, "protocol": "TCP"})
        metadata = {
            "name": f"{app}-{p:06d}",
            "namespace": ns,
            "uid": f"{rng.getrandbits(128):032x}",
            "creationTimestamp": "2024-05-01T09:00:00Z",
        }
        if roll < 0.01:
            metadata["deletionTimestamp"] = "2024-05-02T09:59:00Z"
        metadata["labels"] = {"app": app}
        status = {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
        }
        if 0.01 <= roll < 0.015:
            status = {"phase": "Pending"}
        elif 0.015 <= roll < 0.02:
            status["phase"] = "Succeeded"
        items.append({
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": metadata,
            "spec": {
                "containers": [{"name": "app", "ports": ports}],
                "nodeName": f"node-{p % 500:03d}",
            },
            "status": status,
        })

    # `kubectl get pods,services -A` lists each kind sorted by namespace, then name.
    def order(item):
        kind_rank = 0 if item["kind"] == "Pod" else 1
        return (kind_rank, item["metadata"]["namespace"], item["metadata"]["name"])
    items.sort(key=order)

    dump = {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": ""},
            "items": items}
    with open(args.out, "w") as out:
        if args.order == "api":
            json.dump(dump, out, separators=(",", ":"))
        else:
            json.dump(dump, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
