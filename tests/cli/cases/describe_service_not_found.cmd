describe service nope -f kubectl.yaml
