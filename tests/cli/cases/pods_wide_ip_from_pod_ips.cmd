get pods -o wide -f kubectl.yaml
