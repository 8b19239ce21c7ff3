describe service we -f kubectl.yaml
