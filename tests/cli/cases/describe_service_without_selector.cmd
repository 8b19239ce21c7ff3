describe service legacy -f kubectl.yaml
