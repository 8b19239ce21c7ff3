route -n shop -f zones.yaml
