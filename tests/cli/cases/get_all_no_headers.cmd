get all --no-headers -f kubectl.yaml
