route web-local -n shop --external --from-node node-c1 -f zones.yaml
