describe ep legacy -f kubectl.yaml
