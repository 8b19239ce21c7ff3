describe endpoints -f kubectl.yaml
