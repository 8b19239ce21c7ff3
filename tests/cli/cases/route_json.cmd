route web -n shop --from-node node-b1 -o json -f zones.yaml
