route web -n shop --from-node node-z9 -f zones.yaml
