describe service search -f kubectl.yaml
