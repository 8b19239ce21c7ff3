get endpoints -n shop -f yaml-anchors.yaml
