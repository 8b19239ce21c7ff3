get pods -o jsonpath -f kubectl.yaml
