route web -n shop -f zones.yaml
